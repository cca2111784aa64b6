// Connections: each vendor connection with its health (last pull, lag, throughput, error rate, outbox depth as small
// charts), a running backfill's progress, test / pause / resume, its status scheme and learned facts; and the form
// that creates a new one from the vendor's definition.
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { Chart } from "../connections/Chart.tsx"
import { CreateConnection } from "../connections/CreateForm.tsx"
import { type HealthSeries, useHealth } from "../connections/useHealth.ts"
import { ago, vendorNames } from "../lib/format.ts"
import { toast } from "../lib/toast.ts"
import { tone } from "../lib/tone.ts"
import { type Connection, type ConnectionHealth, errorMessage, useTRPC } from "../lib/trpc.ts"
import { useCan } from "../lib/useSession.ts"

const Scheme = ({ id }: { readonly id: string }) => {
  const trpc = useTRPC()
  const scheme = useQuery(trpc.connections.statusScheme.queryOptions({ id: id as never }))
  if (scheme.isPending) return <Loader size="xs" aria-label="Loading the status scheme" />
  if (scheme.isError) return <Text size="sm">{errorMessage(scheme.error)}</Text>
  return (
    <Code block style={{ maxHeight: 220, overflow: "auto", fontSize: 11 }}>
      {JSON.stringify(scheme.data, null, 2)}
    </Code>
  )
}

const Backfill = ({ health }: { readonly health: ConnectionHealth }) => {
  const b = health.backfill
  if (b === null) return null
  const share = b.total === null || b.total === 0 ? null : Math.min(100, (b.records / b.total) * 100)
  const rate = b.recordsPerSecond
  const left = b.estimatedSecondsRemaining
  const eta = left === null ? null : Math.round(left)
  return (
    <Stack gap={2}>
      <Text size="xs">
        Backfill {b.state}: {b.records.toLocaleString()}
        {b.total === null ? "" : ` of ${b.total.toLocaleString()}`} records, {Math.round(rate)}/s
        {eta === null ? "" : `, about ${eta} s left`}
      </Text>
      <Progress
        value={share ?? (b.state === "running" ? 100 : 100)}
        animated={b.state === "running"}
        striped={share === null && b.state === "running"}
        aria-label="Backfill progress"
        color={b.state === "failed" ? tone.bad : tone.info}
      />
    </Stack>
  )
}

const ConnectionCard = ({
  connection,
  health,
  series,
}: {
  readonly connection: Connection
  readonly health: ConnectionHealth | undefined
  readonly series: HealthSeries | undefined
}) => {
  const trpc = useTRPC()
  const client = useQueryClient()
  const isAdmin = useCan("admin")
  const [open, setOpen] = useState(false)
  const refresh = () => {
    void client.invalidateQueries({ queryKey: trpc.connections.pathKey() })
    void client.invalidateQueries({ queryKey: trpc.sync.pathKey() })
  }
  const test = useMutation(
    trpc.connections.test.mutationOptions({
      onSuccess: (r) =>
        toast(
          r.ok
            ? {
                color: "green",
                title: "Connection works",
                message: `One read in ${r.millis} ms (${r.records} records).`,
              }
            : { color: "red", title: "Connection failed", message: r.error },
        ),
    }),
  )
  const pause = useMutation(trpc.connections.pause.mutationOptions({ onSuccess: refresh }))
  const resume = useMutation(trpc.connections.resume.mutationOptions({ onSuccess: refresh }))
  const paused = !connection.enabled
  return (
    <Card withBorder component="section" aria-label={`Connection ${connection.name}`} data-connection={connection.name}>
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={3} size="h5">
            {connection.name}
          </Title>
          <Badge variant="light">{vendorNames[connection.vendor] ?? connection.vendor}</Badge>
          {paused ? <Badge color={tone.warn}>paused</Badge> : <Badge color={tone.ok}>active</Badge>}
        </Group>
        {isAdmin && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              loading={test.isPending}
              onClick={() => test.mutate({ id: connection.id })}
            >
              Test
            </Button>
            {paused ? (
              <Button size="xs" loading={resume.isPending} onClick={() => resume.mutate({ id: connection.id })}>
                Resume
              </Button>
            ) : (
              <Button
                size="xs"
                variant="outline"
                loading={pause.isPending}
                onClick={() => pause.mutate({ id: connection.id })}
              >
                Pause
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Text size="xs" c="dark.6" mt={4}>
        {connection.baseUrl} · last pull {health?.lastSuccessAt == null ? "not yet" : ago(health.lastSuccessAt)} ·{" "}
        {health?.deadLetters ?? 0} dead letters · {health?.openConflicts ?? 0} open conflicts
      </Text>
      {health !== undefined && <Backfill health={health} />}
      {series !== undefined && (
        <SimpleGrid cols={4} mt="xs" spacing="xs">
          <Chart title="Lag" unit="s" series={series.lag} />
          <Chart title="Throughput" unit="records/s" series={series.throughput} />
          <Chart title="Error rate" unit="" series={series.errorRate} />
          <Chart title="Outbox depth" unit="changes" series={series.outbox} />
        </SimpleGrid>
      )}
      <Button variant="subtle" size="compact-xs" mt="xs" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? "Hide" : "Show"} status scheme and learned facts
      </Button>
      {open && (
        <SimpleGrid cols={2} mt="xs">
          <Scheme id={connection.id} />
          <Code block style={{ maxHeight: 220, overflow: "auto", fontSize: 11 }}>
            {JSON.stringify((connection as { learnedFacts?: unknown }).learnedFacts ?? {}, null, 2)}
          </Code>
        </SimpleGrid>
      )}
    </Card>
  )
}

export const ConnectionsView = () => {
  const trpc = useTRPC()
  const connections = useQuery(trpc.connections.list.queryOptions())
  const { status, series } = useHealth()
  const isAdmin = useCan("admin")
  const [creating, setCreating] = useState(false)
  const health = new Map(status.data?.map((h) => [h.connectionId as string, h]))
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Connections</Title>
        {isAdmin && !creating && <Button onClick={() => setCreating(true)}>New connection</Button>}
      </Group>
      {creating && <CreateConnection onDone={() => setCreating(false)} />}
      {connections.isPending && <Loader aria-label="Loading connections" />}
      {connections.isError && (
        <Alert color="red" title="Connections could not be loaded">
          {errorMessage(connections.error)}
        </Alert>
      )}
      {connections.data?.length === 0 && (
        <Card withBorder>
          <Text fw={600}>No connections yet.</Text>
          <Text size="sm">{isAdmin ? "Create one with “New connection”." : "An admin creates connections."}</Text>
        </Card>
      )}
      {connections.data?.map((c) => (
        <ConnectionCard key={c.id} connection={c} health={health.get(c.id)} series={series[c.id]} />
      ))}
    </Stack>
  )
}
