// A work item: every field with the vendor it came from and a link to the vendor's record, its history timeline
// (who or what changed what, from which side, with the vendor's status names), its open conflicts, and the edit form.
import { Alert, Anchor, Badge, Card, Grid, Group, Loader, Stack, Table, Text, Timeline, Title } from "@mantine/core"
import { useQuery } from "@tanstack/react-query"
import { Link, useParams } from "@tanstack/react-router"
import { useState } from "react"
import {
  assigneesLabel,
  dueLabel,
  instant,
  isOverdue,
  jsonLine,
  kindLabel,
  statusLabel,
  vendorNames,
} from "../lib/format.ts"
import { errorCode, errorMessage, type Task, useTRPC } from "../lib/trpc.ts"
import { EditForm } from "./TaskEdit.tsx"

/** The vendor record's own page, when the API gives its address. */
const recordUrl = (link: object): string | null => (link as { recordUrl?: string | null }).recordUrl ?? null

const Fields = ({ task }: { readonly task: Task }) => {
  const origin = task.links.map((l) => vendorNames[l.vendor] ?? l.vendor).join(", ") || "taskbridge"
  const vendorStatus = task.links.find((l) => l.vendorStatus !== null)?.vendorStatus
  const rows: Array<[string, string]> = [
    ["Kind", kindLabel(task.kind)],
    ["Status", `${statusLabel(task.status)}${vendorStatus == null ? "" : ` (${vendorStatus} at the vendor)`}`],
    ["Priority", task.priority],
    ["Due", `${dueLabel(task.due)}${isOverdue(task) ? " — overdue" : ""}`],
    ["Assignees", assigneesLabel(task.assignees)],
    ["Tags", task.tags.join(", ") || "—"],
    ["Description", task.description ?? "—"],
    ...Object.entries(task.subjects).map(([k, v]): [string, string] => [cap(k), v?.display ?? v?.id ?? "—"]),
    ["Created", instant(task.createdAt)],
    ["Last change", instant(task.updatedAt)],
    ["Version", String(task.version)],
  ]
  return (
    <Table withRowBorders={false} verticalSpacing={4} aria-label="Fields">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={130}>Field</Table.Th>
          <Table.Th>Value</Table.Th>
          <Table.Th w={150}>From</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Td fw={600}>{name}</Table.Td>
            <Table.Td style={{ whiteSpace: "pre-wrap" }}>{value}</Table.Td>
            <Table.Td>
              <Text size="xs">
                {name === "Created" || name === "Version" || name === "Last change" ? "taskbridge" : origin}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

const Links = ({ task }: { readonly task: Task }) => (
  <Stack gap={4}>
    {task.links.length === 0 && <Text size="sm">Not linked to any vendor yet.</Text>}
    {task.links.map((l) => {
      const url = recordUrl(l)
      return (
        <Group key={l.id} gap="xs">
          <Badge variant="light">{vendorNames[l.vendor] ?? l.vendor}</Badge>
          {url === null ? (
            <Text size="sm">record {l.recordId}</Text>
          ) : (
            <Anchor href={url} target="_blank" rel="noreferrer" size="sm">
              Open record {l.recordId} at {vendorNames[l.vendor] ?? l.vendor}
            </Anchor>
          )}
          <Text size="xs" c="dark.6">
            synced {instant(l.syncedAt)}
            {l.deletedAt !== null ? " · deleted at the vendor" : ""}
          </Text>
        </Group>
      )
    })}
  </Stack>
)

/** Who or what made a change, and from which side. */
const historyTitle = (r: { readonly origin: string; readonly actor: string | null }) => {
  switch (r.origin) {
    case "pull":
    case "webhook":
      return `At the vendor (seen by ${r.origin === "pull" ? "a pull" : "a webhook"})`
    case "push":
      return "Sent to the vendor (its answer recorded)"
    case "conflict-resolution":
      return `${r.actor ?? "Someone"} resolved a conflict in taskbridge`
    default:
      return `${r.actor ?? "Someone"} in taskbridge`
  }
}

const History = ({ taskId }: { readonly taskId: string }) => {
  const trpc = useTRPC()
  const history = useQuery(trpc.tasks.history.queryOptions({ id: taskId as never }))
  if (history.isPending) return <Loader size="sm" aria-label="Loading the history" />
  if (history.isError) return <Alert color="red">{errorMessage(history.error)}</Alert>
  const records = [...history.data].reverse()
  if (records.length === 0) return <Text size="sm">No changes recorded yet.</Text>
  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="history">
      {records.map((r) => (
        <Timeline.Item key={r.id} title={historyTitle(r)}>
          <Text size="xs" c="dark.6">
            {instant(r.at)}
          </Text>
          {r.changes.map((c) => (
            <Text size="sm" key={c.field}>
              <b>{c.field}</b>: {jsonLine(c.before)} → {jsonLine(c.after)}
            </Text>
          ))}
        </Timeline.Item>
      ))}
    </Timeline>
  )
}

export const TaskView = () => {
  const { taskId } = useParams({ from: "/tasks/$taskId" })
  const trpc = useTRPC()
  const task = useQuery(trpc.tasks.get.queryOptions({ id: taskId as never }))
  const conflicts = useQuery(trpc.conflicts.list.queryOptions({ taskId: taskId as never }))
  const [formKey, setFormKey] = useState(0)
  if (task.isPending) return <Loader aria-label="Loading the work item" />
  if (task.isError)
    return (
      <Alert color="red" title={errorCode(task.error) === "NOT_FOUND" ? "No such work item" : "Could not load it"}>
        {errorMessage(task.error)} <Link to="/">Back to the inbox</Link>
      </Alert>
    )
  const t = task.data
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.title}</Title>
        <Anchor component={Link} to="/">
          ← Inbox
        </Anchor>
      </Group>
      {t.deletedAt !== null && <Alert color="orange">The vendor deleted this record on {instant(t.deletedAt)}.</Alert>}
      {(conflicts.data?.length ?? 0) > 0 && (
        <Alert color="orange" title="Open conflicts">
          {conflicts.data?.map((c) => c.field).join(", ")} differ between taskbridge and the vendor.{" "}
          <Anchor component={Link} to="/conflicts">
            Resolve them
          </Anchor>
        </Alert>
      )}
      <Grid>
        <Grid.Col span={7}>
          <Stack>
            <Card withBorder>
              <Title order={3} size="h4" mb="xs">
                Fields
              </Title>
              <Fields task={t} />
              <Title order={3} size="h4" my="xs">
                Vendor records
              </Title>
              <Links task={t} />
            </Card>
            <Card withBorder>
              <Title order={3} size="h4" mb="xs">
                History
              </Title>
              <History taskId={t.id} />
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={5}>
          <EditForm key={formKey} task={t} onFresh={() => void task.refetch().then(() => setFormKey((k) => k + 1))} />
        </Grid.Col>
      </Grid>
    </Stack>
  )
}
