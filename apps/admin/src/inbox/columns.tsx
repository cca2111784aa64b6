// The inbox's columns (TanStack Table definitions): kind, title, status (canonical and the vendor's own name),
// vendor, assignee, due (overdue highlighted), priority, and the last change with the side it came from.
import { Badge, Group, Text } from "@mantine/core"
import { createColumnHelper } from "@tanstack/react-table"
import {
  ago,
  assigneesLabel,
  dueLabel,
  isOverdue,
  kindLabel,
  kindShort,
  statusLabel,
  vendorNames,
} from "../lib/format.ts"
import { changeOf, sideOf } from "../lib/live.ts"
import { tone } from "../lib/tone.ts"
import type { TaskPage } from "../lib/trpc.ts"

type Row = TaskPage["items"][number]

const column = createColumnHelper<Row>()

// Dark enough for 4.5:1 on white and on the selected row's tint.
const statusColor: Record<string, string> = {
  open: "#174a8b",
  in_progress: "#5f1d8c",
  waiting: "#7a3d00",
  done: "#1b5e20",
  cancelled: "#43474d",
}

/** Which side changed a work item last: the live feed's newest word, else the inbox row's own `lastChange`. */
export const lastSide = (task: Row) => {
  const live = changeOf(task.id)
  if (live !== undefined) return sideOf(live.origin)
  const last = task.inbox.lastChange
  return last === null ? "—" : last.side === "vendor" ? "vendor" : "taskbridge"
}

export const columns = [
  column.accessor("kind", {
    header: "Kind",
    size: 95,
    cell: (c) => <span title={kindLabel(c.getValue())}>{kindShort(c.getValue())}</span>,
  }),
  column.accessor("title", {
    header: "Title",
    size: 245,
    cell: (c) => (
      <Group gap={4} wrap="nowrap">
        {c.row.original.inbox.hasConflict && (
          <Badge size="xs" color={tone.warn} title="Has an open conflict">
            conflict
          </Badge>
        )}
        {c.row.original.inbox.hasFailedPush && (
          <Badge size="xs" color={tone.bad} title="A change failed to reach the vendor">
            failed push
          </Badge>
        )}
        <Text size="sm" truncate="end" title={c.getValue()}>
          {c.getValue()}
        </Text>
      </Group>
    ),
  }),
  column.accessor("status", {
    header: "Status",
    size: 180,
    cell: (c) => {
      const vendorStatus = c.row.original.links.find((l) => l.vendorStatus !== null)?.vendorStatus
      return (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600} c={statusColor[c.getValue()] ?? "dark"}>
            {statusLabel(c.getValue())}
          </Text>
          {vendorStatus != null && (
            <Text size="xs" c="dark.6" truncate="end" title={`Vendor's status: ${vendorStatus}`}>
              {vendorStatus}
            </Text>
          )}
        </Group>
      )
    },
  }),
  column.display({
    id: "vendor",
    header: "Vendor",
    size: 110,
    cell: (c) => c.row.original.links.map((l) => vendorNames[l.vendor] ?? l.vendor).join(", ") || "taskbridge only",
  }),
  column.accessor("assignees", {
    header: "Assignee",
    size: 140,
    cell: (c) => (
      <Text size="sm" truncate="end">
        {assigneesLabel(c.getValue())}
      </Text>
    ),
  }),
  column.accessor("due", {
    header: "Due",
    size: 175,
    cell: (c) =>
      c.row.original.inbox.overdue || isOverdue(c.row.original) ? (
        <Badge color={tone.bad} variant="filled" radius="sm" title={`Overdue: due ${dueLabel(c.getValue())}`}>
          {dueLabel(c.getValue())}
        </Badge>
      ) : (
        <Text size="sm">{dueLabel(c.getValue())}</Text>
      ),
  }),
  column.accessor("priority", { header: "Priority", size: 75, cell: (c) => c.getValue() }),
  column.accessor("updatedAt", {
    header: "Last change",
    size: 130,
    cell: (c) => (
      <Text size="sm">
        {ago(c.row.original.inbox.lastChange?.at ?? c.getValue())} · {lastSide(c.row.original)}
      </Text>
    ),
  }),
]
