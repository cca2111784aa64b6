// Creating a connection: pick a vendor, and its credentials and options form is rendered from `vendors.list`'s JSON
// Schemas, checked against them before sending; the API's own refusal (an unreachable base URL, credentials the
// adapter cannot use) is shown beside the field it names.
import { Alert, Button, Card, Divider, Select, Stack, Text, TextInput, Title } from "@mantine/core"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { vendorNames } from "../lib/format.ts"
import { toast } from "../lib/toast.ts"
import { errorDetails, errorMessage, useTRPC } from "../lib/trpc.ts"
import { type JsonSchema, SchemaForm, toSettings, type Values, validate } from "./SchemaForm.tsx"

export const CreateConnection = ({ onDone }: { readonly onDone: () => void }) => {
  const trpc = useTRPC()
  const client = useQueryClient()
  const vendors = useQuery(trpc.vendors.list.queryOptions())
  const [vendor, setVendor] = useState<string | null>(null)
  const [name, setName] = useState("")
  const [baseUrl, setBaseUrl] = useState("")
  const [credentials, setCredentials] = useState<Values>({})
  const [options, setOptions] = useState<Values>({})
  const [errors, setErrors] = useState<{
    credentials: Record<string, string>
    options: Record<string, string>
    top: Record<string, string>
  }>({ credentials: {}, options: {}, top: {} })
  const create = useMutation(
    trpc.connections.create.mutationOptions({
      onSuccess: (created) => {
        toast({ color: "green", title: "Connection created", message: `${created.name}: its backfill starts now.` })
        void client.invalidateQueries({ queryKey: trpc.connections.pathKey() })
        void client.invalidateQueries({ queryKey: trpc.sync.pathKey() })
        onDone()
      },
    }),
  )
  const info = vendors.data?.find((v) => v.manifest.vendor === vendor)
  const credentialSchema = (info?.credentials ?? {}) as JsonSchema
  const optionSchema = (info?.options ?? {}) as JsonSchema
  const submit = () => {
    const top: Record<string, string> = {}
    if (name.trim() === "") top.name = "Name is required"
    if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) top.baseUrl = "Base URL must be an absolute http(s) URL"
    const next = { credentials: validate(credentialSchema, credentials), options: validate(optionSchema, options), top }
    setErrors(next)
    if (Object.keys(next.credentials).length + Object.keys(next.options).length + Object.keys(top).length > 0) return
    create.mutate({
      vendor: vendor as never,
      name: name.trim(),
      baseUrl,
      credentials: toSettings(credentialSchema, credentials) as never,
      options: toSettings(optionSchema, options) as never,
    })
  }
  const violations = (errorDetails(create.error)?.violations ?? []) as ReadonlyArray<unknown>
  return (
    <Card withBorder component="section" aria-label="New connection">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          submit()
        }}
        noValidate
      >
        <Stack gap="xs">
          <Title order={3} size="h4">
            New connection
          </Title>
          <Select
            label="Vendor"
            placeholder="Choose a vendor"
            data={(vendors.data ?? []).map((v) => ({
              value: v.manifest.vendor,
              label: vendorNames[v.manifest.vendor] ?? v.manifest.vendor,
            }))}
            value={vendor}
            onChange={(v) => {
              setVendor(v)
              setCredentials({})
              setOptions({})
              setErrors({ credentials: {}, options: {}, top: {} })
            }}
            required
          />
          {info !== undefined && (
            <>
              <TextInput
                label="Name"
                required
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={errors.top.name}
              />
              <TextInput
                label="Base URL"
                required
                description="The vendor API's address, e.g. https://api.joincandidhealth.com"
                value={baseUrl}
                onChange={(e) => setBaseUrl(e.currentTarget.value)}
                error={errors.top.baseUrl}
              />
              <Divider label="Credentials (encrypted at rest)" labelPosition="left" />
              <SchemaForm
                idPrefix="cred"
                schema={credentialSchema}
                secret={info.secretFields}
                values={credentials}
                errors={errors.credentials}
                onChange={setCredentials}
              />
              <Divider label="Options" labelPosition="left" />
              <SchemaForm
                idPrefix="opt"
                schema={optionSchema}
                secret={[]}
                values={options}
                errors={errors.options}
                onChange={setOptions}
              />
              {create.isError && (
                <Alert color="red" title="The connection was not created" role="alert">
                  {errorMessage(create.error)}
                  {violations.map((v) => (
                    <Text size="sm" key={JSON.stringify(v)}>
                      {typeof v === "string" ? v : JSON.stringify(v)}
                    </Text>
                  ))}
                </Alert>
              )}
              <Button type="submit" loading={create.isPending}>
                Create and start the backfill
              </Button>
            </>
          )}
          {vendor === null && <Text size="sm">Choose a vendor to see what it needs.</Text>}
        </Stack>
      </form>
    </Card>
  )
}
