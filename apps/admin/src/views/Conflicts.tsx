// Open merge conflicts, grouped by work item: per field, the base (last synced), taskbridge's and the vendor's value
// side by side; the operator keeps one side or writes a value, and the resolution is pushed (the field leaves the list).
import { Alert, Button, Card, Group, Loader, Radio, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link } from "@tanstack/react-router"
import { useState } from "react"
import { jsonLine } from "../lib/format.ts"
import { toast } from "../lib/toast.ts"
import { type Conflict, errorMessage, useTRPC } from "../lib/trpc.ts"
import { useCan } from "../lib/useSession.ts"

const TaskTitle = ({ id }: { readonly id: string }) => {
  const trpc = useTRPC()
  const task = useQuery(trpc.tasks.get.queryOptions({ id: id as never }))
  return (
    <Link to="/tasks/$taskId" params={{ taskId: id }} style={{ fontWeight: 700 }}>
      {task.data?.title ?? id}
    </Link>
  )
}

/** A written value: JSON when it parses (a due, a list), else the text itself. */
const written = (raw: string): unknown => {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

const Side = ({ label, value }: { readonly label: string; readonly value: unknown }) => (
  <Card withBorder padding="xs">
    <Text size="xs" fw={700} c="dark.6">
      {label}
    </Text>
    <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
      {jsonLine(value)}
    </Text>
  </Card>
)

const FieldConflict = ({ conflict, connection }: { readonly conflict: Conflict; readonly connection: string }) => {
  const trpc = useTRPC()
  const client = useQueryClient()
  const canResolve = useCan("operator")
  const [choice, setChoice] = useState<"local" | "remote" | "custom">("local")
  const [custom, setCustom] = useState("")
  const resolve = useMutation(
    trpc.conflicts.resolve.mutationOptions({
      onSuccess: () => {
        toast({ color: "green", title: "Resolved", message: `${conflict.field} is being pushed.` })
        void client.invalidateQueries({ queryKey: trpc.conflicts.pathKey() })
        void client.invalidateQueries({ queryKey: trpc.tasks.pathKey() })
      },
    }),
  )
  const value = choice === "local" ? conflict.local : choice === "remote" ? conflict.remote : written(custom)
  return (
    <Card
      withBorder
      data-conflict-field={conflict.field}
      component="section"
      aria-label={`Conflict on ${conflict.field}`}
    >
      <Group justify="space-between" mb="xs">
        <Text fw={700}>{conflict.field}</Text>
        <Text size="xs" c="dark.6">
          with {connection}
        </Text>
      </Group>
      <SimpleGrid cols={3} spacing="xs">
        <Side label="Base (last synced)" value={conflict.base} />
        <Side label="taskbridge" value={conflict.local} />
        <Side label={`Vendor (${connection})`} value={conflict.remote} />
      </SimpleGrid>
      {canResolve && (
        <Stack gap="xs" mt="sm">
          <Radio.Group
            label={`Keep for ${conflict.field}`}
            value={choice}
            onChange={(v) => setChoice(v as typeof choice)}
          >
            <Group gap="md" mt={4}>
              <Radio value="local" label="taskbridge's value" />
              <Radio value="remote" label="the vendor's value" />
              <Radio value="custom" label="a new value" />
            </Group>
          </Radio.Group>
          {choice === "custom" && (
            <TextInput
              label="New value (text, or JSON for structured fields)"
              value={custom}
              onChange={(e) => setCustom(e.currentTarget.value)}
            />
          )}
          {resolve.isError && (
            <Alert color="red" role="alert">
              {errorMessage(resolve.error)}
            </Alert>
          )}
          <Group>
            <Button
              size="xs"
              loading={resolve.isPending}
              disabled={choice === "custom" && custom === ""}
              onClick={() => resolve.mutate({ id: conflict.id, value: value as never })}
            >
              Resolve {conflict.field}
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  )
}

export const ConflictsView = () => {
  const trpc = useTRPC()
  const conflicts = useQuery(trpc.conflicts.list.queryOptions({}))
  const connections = useQuery(trpc.connections.list.queryOptions())
  const names = new Map(connections.data?.map((c) => [c.id as string, c.name]))
  const byTask = new Map<string, Array<Conflict>>()
  for (const c of conflicts.data ?? []) byTask.set(c.taskId, [...(byTask.get(c.taskId) ?? []), c])
  return (
    <Stack>
      <Title order={2}>Conflicts</Title>
      {conflicts.isPending && <Loader aria-label="Loading conflicts" />}
      {conflicts.isError && (
        <Alert color="red" title="Conflicts could not be loaded">
          {errorMessage(conflicts.error)}
        </Alert>
      )}
      {conflicts.data?.length === 0 && (
        <Card withBorder>
          <Text fw={600}>No open conflicts.</Text>
          <Text size="sm" c="dark.6">
            A conflict appears when taskbridge and a vendor change the same field of a work item before they sync.
          </Text>
        </Card>
      )}
      {[...byTask].map(([taskId, list]) => (
        <Stack key={taskId} gap="xs">
          <TaskTitle id={taskId} />
          {list.map((c) => (
            <FieldConflict key={c.id} conflict={c} connection={names.get(c.connectionId) ?? c.connectionId} />
          ))}
        </Stack>
      ))}
    </Stack>
  )
}
