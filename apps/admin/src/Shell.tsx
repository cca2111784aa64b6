// The frame around every view: the navigation, who is signed in, and the live `events` feed — each change invalidates
// the queries that show it, highlights its row, and a vendor-side change says so in a toast. Signed out, every path
// but /signin shows the sign-in form.
import { AppShell, Badge, Button, Center, Group, Loader, NavLink, Text, Title } from "@mantine/core"
import { useQueryClient } from "@tanstack/react-query"
import { Link, Outlet, useRouterState } from "@tanstack/react-router"
import { useSubscription } from "@trpc/tanstack-react-query"
import { useRef } from "react"
import { recordChange, sideOf } from "./lib/live.ts"
import { signOut } from "./lib/session.ts"
import { toast } from "./lib/toast.ts"
import { useTRPC } from "./lib/trpc.ts"
import { useSession, useSetSession } from "./lib/useSession.ts"
import { SignInForm } from "./views/SignIn.tsx"

const nav = [
  { to: "/", label: "Inbox" },
  { to: "/conflicts", label: "Conflicts" },
  { to: "/sync", label: "Sync" },
  { to: "/connections", label: "Connections" },
] as const

/** Invalidations are coalesced to one per 700 ms: a busy feed must not refetch the inbox for every change. */
const useCoalesced = () => {
  const pending = useRef(new Set<string>())
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const client = useQueryClient()
  return (key: string) => {
    pending.current.add(key)
    if (timer.current !== null) return
    timer.current = setTimeout(() => {
      timer.current = null
      const keys = [...pending.current]
      pending.current.clear()
      for (const k of keys) void client.invalidateQueries({ queryKey: [k.split(".")] })
    }, 700)
  }
}

const LiveFeed = () => {
  const trpc = useTRPC()
  const invalidate = useCoalesced()
  useSubscription(
    trpc.events.subscriptionOptions(
      {},
      {
        onData: ({ data }) => {
          if (data.type === "task") {
            const change = data.change
            const fields = change.changes.map((c) => c.field)
            recordChange(change.taskId, { at: Date.now(), origin: change.origin, fields })
            for (const key of ["tasks.list", "tasks.get", "tasks.history", "conflicts.list", "sync.status"])
              invalidate(key)
            if (sideOf(change.origin) === "vendor" && fields.length > 0) {
              toast({
                id: `change-${change.taskId}`,
                title: "Changed at the vendor",
                message: `${fields.join(", ")} of a ${data.kind} changed (${change.origin})`,
                autoClose: 4000,
              })
            }
          } else {
            for (const key of ["sync.status", "sync.outbox", "health.series", "health.runs"]) invalidate(key)
          }
        },
      },
    ),
  )
  return null
}

export const Shell = () => {
  const session = useSession()
  const setSession = useSetSession()
  const path = useRouterState({ select: (s) => s.location.pathname })
  if (path === "/signin") return <Outlet />
  if (session.isPending)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading the session" />
      </Center>
    )
  if (session.data == null) return <SignInForm />
  const who = session.data
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 190, breakpoint: 0 }} padding="md">
      <LiveFeed />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h4">
            taskbridge
          </Title>
          <Group gap="sm">
            <Text size="sm">{who.name === "" ? who.organizationId : who.name}</Text>
            <Badge variant="light" data-testid="role">
              {who.role}
            </Badge>
            <Button size="xs" variant="default" onClick={() => void signOut().then(() => setSession(null))}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Views">
        {nav.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={item.to === "/" ? path === "/" || path.startsWith("/tasks") : path.startsWith(item.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  )
}
