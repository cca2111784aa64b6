// Sync: the outbox (changes waiting to reach a vendor) and dead letters with the vendor's error — retry or discard,
// one or in bulk — each connection's latest run (pages, records, duration, error), and held mass deletions waiting
// for an operator's confirmation.
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link } from "@tanstack/react-router"
import { useState } from "react"
import { instant } from "../lib/format.ts"
import { toast } from "../lib/toast.ts"
import { tone } from "../lib/tone.ts"
import { errorMessage, useTRPC } from "../lib/trpc.ts"
import { useCan } from "../lib/useSession.ts"
import { Runs } from "./SyncRuns.tsx"

const Outbox = () => {
  const trpc = useTRPC()
  const client = useQueryClient()
  const canAct = useCan("operator")
  const [state, setState] = useState<"dead" | "pending">("dead")
  const entries = useQuery(trpc.sync.outbox.queryOptions({ state, limit: 200 }))
  const connections = useQuery(trpc.connections.list.queryOptions())
  const names = new Map(connections.data?.map((c) => [c.id as string, c.name]))
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const done = (what: string) => () => {
    toast({ color: "green", title: what, message: "The outbox is updated." })
    setPicked(new Set())
    void client.invalidateQueries({ queryKey: trpc.sync.pathKey() })
  }
  const retry = useMutation(trpc.sync.retry.mutationOptions())
  const discard = useMutation(trpc.sync.discard.mutationOptions())
  const each = async (ids: ReadonlyArray<string>, action: "retry" | "discard") => {
    const m = action === "retry" ? retry : discard
    const failures: Array<string> = []
    for (const id of ids) await m.mutateAsync({ id }).catch((e: unknown) => failures.push(errorMessage(e)))
    if (failures.length > 0) toast({ color: "red", title: `${failures.length} failed`, message: failures[0] })
    done(action === "retry" ? "Queued again" : "Discarded")()
  }
  const rows = entries.data ?? []
  const all = rows.length > 0 && rows.every((r) => picked.has(r.id))
  return (
    <Card withBorder component="section" aria-label="Outbox">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Outbox
        </Title>
        <SegmentedControl
          size="xs"
          value={state}
          onChange={(v) => {
            setState(v as typeof state)
            setPicked(new Set())
          }}
          data={[
            { value: "dead", label: "Dead letters" },
            { value: "pending", label: "Waiting to send" },
          ]}
          aria-label="Which changes"
        />
      </Group>
      {canAct && state === "dead" && rows.length > 0 && (
        <Group mb="xs">
          <Button size="xs" disabled={picked.size === 0} onClick={() => void each([...picked], "retry")}>
            Retry selected ({picked.size})
          </Button>
          <Button
            size="xs"
            color={tone.bad}
            variant="outline"
            disabled={picked.size === 0}
            onClick={() => void each([...picked], "discard")}
          >
            Discard selected
          </Button>
        </Group>
      )}
      {entries.isPending && <Loader size="sm" aria-label="Loading the outbox" />}
      {entries.isError && <Alert color="red">{errorMessage(entries.error)}</Alert>}
      {rows.length === 0 && !entries.isPending && (
        <Text size="sm">
          {state === "dead"
            ? "No dead letters: every change reached its vendor or is still being tried."
            : "Nothing is waiting to be sent."}
        </Text>
      )}
      {rows.length > 0 && (
        <Table striped aria-label={state === "dead" ? "Dead letters" : "Waiting changes"}>
          <Table.Thead>
            <Table.Tr>
              {canAct && state === "dead" && (
                <Table.Th w={32}>
                  <Checkbox
                    aria-label="Select all"
                    checked={all}
                    onChange={() => setPicked(all ? new Set() : new Set(rows.map((r) => r.id)))}
                  />
                </Table.Th>
              )}
              <Table.Th>Work item</Table.Th>
              <Table.Th>Connection</Table.Th>
              <Table.Th>Change</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>Vendor's error</Table.Th>
              <Table.Th>Since</Table.Th>
              {canAct && state === "dead" && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id} data-entry-id={r.id}>
                {canAct && state === "dead" && (
                  <Table.Td>
                    <Checkbox
                      aria-label={`Select change ${r.id}`}
                      checked={picked.has(r.id)}
                      onChange={() => {
                        const next = new Set(picked)
                        if (next.has(r.id)) next.delete(r.id)
                        else next.add(r.id)
                        setPicked(next)
                      }}
                    />
                  </Table.Td>
                )}
                <Table.Td>
                  <Link to="/tasks/$taskId" params={{ taskId: r.taskId }}>
                    {r.recordId ?? r.taskId.slice(0, 8)}
                  </Link>
                </Table.Td>
                <Table.Td>{names.get(r.connectionId) ?? r.connectionId}</Table.Td>
                <Table.Td>{r.payload.operation === "create" ? "create" : r.fields.join(", ")}</Table.Td>
                <Table.Td>{r.attempts}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={tone.bad}>
                    {r.lastError ?? "—"}
                  </Text>
                </Table.Td>
                <Table.Td>{instant(r.updatedAt)}</Table.Td>
                {canAct && state === "dead" && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" onClick={() => void each([r.id], "retry")}>
                        Retry
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="outline"
                        color={tone.bad}
                        onClick={() => void each([r.id], "discard")}
                      >
                        Discard
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  )
}

const HeldDeletions = () => {
  const trpc = useTRPC()
  const client = useQueryClient()
  const canAct = useCan("operator")
  const held = useQuery(trpc.sync.deletions.queryOptions({}))
  const decide = useMutation(
    trpc.sync.decideDeletion.mutationOptions({
      onSuccess: () => void client.invalidateQueries({ queryKey: trpc.sync.pathKey() }),
    }),
  )
  const list = held.data ?? []
  const connections = useQuery(trpc.connections.list.queryOptions())
  const names = new Map(connections.data?.map((c) => [c.id as string, c.name]))
  return (
    <Card withBorder component="section" aria-label="Held mass deletions">
      <Title order={3} size="h4" mb="xs">
        Held mass deletions
      </Title>
      {list.length === 0 && (
        <Text size="sm">None held. A pull that would delete a large share of a connection's records waits here.</Text>
      )}
      {list.map((h) => (
        <Alert
          key={h.id}
          color="orange"
          title={`${names.get(h.connectionId) ?? h.connectionId} would delete ${h.records.length} of ${h.live} records`}
          mb="xs"
        >
          <Text size="sm">
            Held {instant(h.createdAt)}. Records: {h.records.slice(0, 8).join(", ")}
            {h.records.length > 8 ? ` and ${h.records.length - 8} more` : ""}
          </Text>
          {canAct && (
            <Group mt="xs">
              <Button size="xs" color={tone.bad} onClick={() => decide.mutate({ id: h.id, confirm: true })}>
                Confirm the deletion
              </Button>
              <Button size="xs" variant="default" onClick={() => decide.mutate({ id: h.id, confirm: false })}>
                Keep every record
              </Button>
            </Group>
          )}
        </Alert>
      ))}
    </Card>
  )
}

export const SyncView = () => (
  <Stack>
    <Title order={2}>Sync</Title>
    <Outbox />
    <HeldDeletions />
    <Runs />
    <Badge variant="transparent" c="dark.6" size="xs">
      Updated live from the events feed
    </Badge>
  </Stack>
)
