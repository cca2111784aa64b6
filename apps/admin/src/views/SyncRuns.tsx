// Each connection's sync runs: the latest run from `sync.status` (pages, records, duration, error). Per-run history
// comes from `health.runs` once the API serves it.
import { Badge, Card, Table, Text, Title } from "@mantine/core"
import { useQuery } from "@tanstack/react-query"
import { instant, vendorNames } from "../lib/format.ts"
import { tone } from "../lib/tone.ts"
import { useTRPC } from "../lib/trpc.ts"

const duration = (from: string, to: string | null) => {
  const seconds = ((to === null ? Date.now() : Date.parse(to)) - Date.parse(from)) / 1000
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`
}

export const Runs = () => {
  const trpc = useTRPC()
  const status = useQuery(trpc.sync.status.queryOptions())
  const rows = status.data ?? []
  return (
    <Card withBorder component="section" aria-label="Sync runs">
      <Title order={3} size="h4" mb="xs">
        Latest runs
      </Title>
      {rows.length === 0 && <Text size="sm">No connection has run yet. Add one under Connections.</Text>}
      {rows.length > 0 && (
        <Table aria-label="Latest sync runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Connection</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Pages</Table.Th>
              <Table.Th>Records</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Error</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => {
              const run = c.lastRun
              return (
                <Table.Tr key={c.connectionId}>
                  <Table.Td>
                    {c.name}{" "}
                    <Text span size="xs">
                      ({vendorNames[c.vendor] ?? c.vendor})
                    </Text>
                  </Table.Td>
                  <Table.Td>{run?.kind ?? "—"}</Table.Td>
                  <Table.Td>
                    {run === null ? (
                      "—"
                    ) : (
                      <Badge color={run.state === "failed" ? tone.bad : run.state === "running" ? tone.info : tone.ok}>
                        {run.state}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{run?.pages ?? "—"}</Table.Td>
                  <Table.Td>{run?.records ?? "—"}</Table.Td>
                  <Table.Td>{run === null ? "—" : instant(run.startedAt)}</Table.Td>
                  <Table.Td>{run === null ? "—" : duration(run.startedAt, run.finishedAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={tone.bad}>
                      {run?.error ?? ""}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  )
}
