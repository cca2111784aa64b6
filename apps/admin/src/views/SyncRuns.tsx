// Sync runs, newest first, from `health.runs` in keyset pages: per run its pages, records, duration, records/s and
// the error of a failed one.
import { Badge, Button, Card, Table, Text, Title } from "@mantine/core"
import { useInfiniteQuery, useQuery } from "@tanstack/react-query"
import { instant } from "../lib/format.ts"
import { tone } from "../lib/tone.ts"
import { useTRPC } from "../lib/trpc.ts"

const duration = (seconds: number) => (seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`)

export const Runs = () => {
  const trpc = useTRPC()
  const runs = useInfiniteQuery(
    trpc.health.runs.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  )
  const connections = useQuery(trpc.connections.list.queryOptions())
  const names = new Map(connections.data?.map((c) => [c.id as string, `${c.name}`]))
  const rows = runs.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Card withBorder component="section" aria-label="Sync runs">
      <Title order={3} size="h4" mb="xs">
        Sync runs
      </Title>
      {runs.isPending && <Text size="sm">Loading runs…</Text>}
      {!runs.isPending && rows.length === 0 && <Text size="sm">No run yet. Add a connection under Connections.</Text>}
      {rows.length > 0 && (
        <Table aria-label="Sync runs, newest first">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Connection</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Pages</Table.Th>
              <Table.Th>Records</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Records/s</Table.Th>
              <Table.Th>Error</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ run, durationSeconds, recordsPerSecond }) => (
              <Table.Tr key={run.id}>
                <Table.Td>{names.get(run.connectionId) ?? run.connectionId}</Table.Td>
                <Table.Td>{run.kind}</Table.Td>
                <Table.Td>
                  <Badge color={run.state === "failed" ? tone.bad : run.state === "running" ? tone.info : tone.ok}>
                    {run.state}
                  </Badge>
                </Table.Td>
                <Table.Td>{run.pages}</Table.Td>
                <Table.Td>{run.records.toLocaleString()}</Table.Td>
                <Table.Td>{instant(run.startedAt)}</Table.Td>
                <Table.Td>{duration(durationSeconds)}</Table.Td>
                <Table.Td>{Math.round(recordsPerSecond).toLocaleString()}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={tone.bad}>
                    {run.error ?? ""}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {runs.hasNextPage && (
        <Button
          size="xs"
          variant="default"
          mt="xs"
          loading={runs.isFetchingNextPage}
          onClick={() => void runs.fetchNextPage()}
        >
          Older runs
        </Button>
      )}
    </Card>
  )
}
