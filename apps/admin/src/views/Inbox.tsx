// The inbox: every work item across vendors and kinds in one virtualised table (TanStack Table + Virtual), pages
// fetched from `tasks.list` by keyset cursor as the list scrolls. j/k move, Enter opens, `/` searches; rows changed
// by the live feed are highlighted for a few seconds.
import { Alert, Box, Button, Group, Loader, Stack, Text, Title } from "@mantine/core"
import { useInfiniteQuery } from "@tanstack/react-query"
import { useNavigate, useSearch } from "@tanstack/react-router"
import { flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table"
import { useVirtualizer } from "@tanstack/react-virtual"
import { useEffect, useMemo, useRef, useState } from "react"
import { columns } from "../inbox/columns.tsx"
import { Filters } from "../inbox/Filters.tsx"
import { filterOf } from "../inbox/search.ts"
import { changeOf, useLiveVersion } from "../lib/live.ts"
import { errorMessage, useTRPC } from "../lib/trpc.ts"

const rowHeight = 40
const pageSize = 100
const highlightMillis = 8_000

export const InboxView = () => {
  const search = useSearch({ from: "/" })
  const navigate = useNavigate()
  const trpc = useTRPC()
  const input = {
    filter: filterOf(search) as never,
    limit: pageSize,
    ...(search.sort === undefined ? {} : { sort: search.sort }),
  }
  const query = useInfiniteQuery(
    trpc.tasks.list.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  )
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data])
  const table = useReactTable({ data: items as never[], columns, getCoreRowModel: getCoreRowModel() })
  const rows = table.getRowModel().rows
  const scroller = useRef<HTMLDivElement>(null)
  const searchBox = useRef<HTMLInputElement>(null)
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  })
  const [selected, setSelected] = useState(0)
  useLiveVersion()

  // Infinite scroll: the next page is asked for when the last rendered row is near the end of what is loaded.
  const last = virtual.getVirtualItems().at(-1)?.index ?? 0
  useEffect(() => {
    if (last >= rows.length - 20 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage()
  }, [last, rows.length, query])

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      const typing =
        target !== null && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)
      if (event.key === "/" && !typing) {
        event.preventDefault()
        searchBox.current?.focus()
        return
      }
      if (typing || event.metaKey || event.ctrlKey || event.altKey) return
      if (event.key === "j" || event.key === "k") {
        event.preventDefault()
        setSelected((i) => {
          const next = Math.max(0, Math.min(rows.length - 1, i + (event.key === "j" ? 1 : -1)))
          virtual.scrollToIndex(next)
          return next
        })
      } else if (event.key === "Enter" && target?.closest("[role=search]") == null) {
        const task = rows[selected]?.original as { id: string } | undefined
        if (task !== undefined) void navigate({ to: "/tasks/$taskId", params: { taskId: task.id } })
      }
    }
    window.addEventListener("keydown", onKey)
    return () => window.removeEventListener("keydown", onKey)
  }, [rows, selected, navigate, virtual])

  const widths = table.getFlatHeaders().map((h) => h.getSize())
  // Proportional columns: at 1280 px every column fits without a horizontal scrollbar.
  const template = widths.map((w) => `minmax(0, ${w}fr)`).join(" ")
  const now = Date.now()

  return (
    <Stack gap="sm" h="calc(100vh - 84px)">
      <Group justify="space-between">
        <Title order={2}>Inbox</Title>
        <Text size="sm" c="dark.6" aria-live="polite">
          {query.isPending
            ? "Loading…"
            : `${items.length}${query.hasNextPage ? "+" : ""} work items · j/k move, Enter opens, / searches`}
        </Text>
      </Group>
      <Filters search={search} searchBox={searchBox} />
      {query.isError && (
        <Alert color="red" title="The inbox could not be loaded" role="alert">
          {errorMessage(query.error)}{" "}
          <Button size="xs" variant="white" onClick={() => void query.refetch()}>
            Try again
          </Button>
        </Alert>
      )}
      <Box
        style={{
          flex: 1,
          minHeight: 0,
          display: "flex",
          flexDirection: "column",
          border: "1px solid var(--mantine-color-gray-3)",
          borderRadius: 4,
        }}
      >
        <div ref={scroller} data-testid="inbox-rows" style={{ flex: 1, overflowY: "auto", position: "relative" }}>
          <table
            aria-label="Work items"
            aria-rowcount={rows.length + 1}
            style={{ display: "grid", borderCollapse: "collapse" }}
          >
            <thead style={{ display: "grid", position: "sticky", top: 0, zIndex: 1 }}>
              <tr
                aria-rowindex={1}
                style={{
                  display: "grid",
                  gridTemplateColumns: template,
                  background: "var(--mantine-color-gray-1)",
                  borderBottom: "1px solid var(--mantine-color-gray-3)",
                }}
              >
                {table.getFlatHeaders().map((h) => (
                  <Text component="th" key={h.id} size="sm" fw={700} px="xs" py={6} ta="left">
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </Text>
                ))}
              </tr>
            </thead>
            <tbody style={{ display: "grid", height: virtual.getTotalSize(), position: "relative" }}>
              {virtual.getVirtualItems().map((v) => {
                const row = rows[v.index]
                if (row === undefined) return null
                const task = row.original as { id: string; title: string }
                const live = changeOf(task.id)
                const fresh = live !== undefined && now - live.at < highlightMillis
                const isSelected = v.index === selected
                const open = () => void navigate({ to: "/tasks/$taskId", params: { taskId: task.id } })
                return (
                  <tr
                    key={row.id}
                    aria-rowindex={v.index + 2}
                    aria-selected={isSelected}
                    data-row={v.index + 1}
                    data-task-id={task.id}
                    data-highlight={fresh ? "true" : undefined}
                    tabIndex={isSelected ? 0 : -1}
                    onClick={() => setSelected(v.index)}
                    onDoubleClick={open}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") open()
                    }}
                    style={{
                      position: "absolute",
                      top: 0,
                      left: 0,
                      right: 0,
                      height: rowHeight,
                      transform: `translateY(${v.start}px)`,
                      display: "grid",
                      gridTemplateColumns: template,
                      alignItems: "center",
                      cursor: "pointer",
                      borderBottom: "1px solid var(--mantine-color-gray-2)",
                      background: fresh
                        ? "var(--mantine-color-yellow-1)"
                        : isSelected
                          ? "var(--mantine-color-indigo-0)"
                          : undefined,
                      outline: isSelected ? "2px solid var(--mantine-color-indigo-8)" : undefined,
                      outlineOffset: -2,
                    }}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <Box
                        component="td"
                        key={cell.id}
                        px="xs"
                        fz="sm"
                        style={{ overflow: "hidden", whiteSpace: "nowrap", textOverflow: "ellipsis" }}
                      >
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </Box>
                    ))}
                  </tr>
                )
              })}
            </tbody>
          </table>
          {query.isPending && (
            <Group justify="center" p="xl">
              <Loader aria-label="Loading work items" />
            </Group>
          )}
          {!query.isPending && rows.length === 0 && !query.isError && (
            <Stack align="center" p="xl" gap={4}>
              <Text fw={600}>No work items match this view.</Text>
              <Text size="sm" c="dark.6">
                Clear a filter or the search, or check Connections: a new connection shows its items once its backfill
                runs.
              </Text>
            </Stack>
          )}
        </div>
        {query.isFetchingNextPage && (
          <Text size="xs" p={4} ta="center" aria-live="polite">
            Loading more…
          </Text>
        )}
      </Box>
    </Stack>
  )
}
