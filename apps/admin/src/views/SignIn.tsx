// Sign-in: paste an API token (traded for the session cookie, never stored by the page), or open the one-time link
// `pnpm start` prints — `/signin?code=…` spends the code once and replaces the URL so the code leaves the history.
import { Alert, Button, Center, Loader, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core"
import { useNavigate, useSearch } from "@tanstack/react-router"
import { type FormEvent, useEffect, useRef, useState } from "react"
import { signInWithCode, signInWithToken } from "../lib/session.ts"
import { useSession, useSetSession } from "../lib/useSession.ts"

export const SignInForm = ({ notice }: { readonly notice?: string }) => {
  const setSession = useSetSession()
  const [token, setToken] = useState("")
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const session = await signInWithToken(token.trim())
      setToken("")
      setSession(session)
    } catch (e) {
      setError(e instanceof Error ? e.message : "Sign-in failed; try again.")
    } finally {
      setBusy(false)
    }
  }
  return (
    <Center mih="100vh" bg="gray.1">
      <Paper component="main" withBorder shadow="sm" p="xl" w={420}>
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Title order={1} size="h3">
              Sign in to taskbridge
            </Title>
            {notice !== undefined && (
              <Alert color="orange" title="Sign-in link not accepted" role="alert">
                {notice}
              </Alert>
            )}
            <Text size="sm">
              Paste an API token (<code>tb_…</code>). <code>pnpm start</code> prints an admin token and a one-time
              sign-in link; an admin can issue viewer and operator tokens.
            </Text>
            <PasswordInput
              label="API token"
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              required
              autoComplete="off"
              error={error}
            />
            <Button type="submit" loading={busy} disabled={token.trim() === ""}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  )
}

/** `/signin?code=…`: spends the code once (StrictMode's second effect run must not spend it again). */
export const SignInView = () => {
  const { code } = useSearch({ from: "/signin" })
  const navigate = useNavigate()
  const session = useSession()
  const setSession = useSetSession()
  const [state, setState] = useState<{ readonly spending: boolean; readonly refused: string | null }>({
    spending: code !== undefined,
    refused: null,
  })
  const spent = useRef(false)
  useEffect(() => {
    if (code === undefined || spent.current) return
    spent.current = true
    // The code leaves the address bar and the history at once, whatever the answer.
    void navigate({ to: "/signin", search: {}, replace: true })
    signInWithCode(code).then(
      (signedIn) => {
        setSession(signedIn)
        void navigate({ to: "/", replace: true })
      },
      (e: unknown) =>
        setState({ spending: false, refused: e instanceof Error ? e.message : "The sign-in link was refused." }),
    )
  }, [code, navigate, setSession])
  useEffect(() => {
    if (!state.spending && session.data != null) void navigate({ to: "/", replace: true })
  }, [state.spending, session.data, navigate])
  if (state.spending)
    return (
      <Center h="100vh">
        <Loader aria-label="Signing in" />
      </Center>
    )
  return <SignInForm {...(state.refused === null ? {} : { notice: state.refused })} />
}
