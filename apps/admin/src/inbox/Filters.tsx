// The inbox's filter bar: vendor, kind, status, assignee, overdue, has conflict, has failed push, text search and
// sort. Every change rewrites the URL's search params (the saved view); `/` focuses the search box.
import { Checkbox, Group, MultiSelect, Select, TextInput } from "@mantine/core"
import { useNavigate } from "@tanstack/react-router"
import { type RefObject, useEffect, useState } from "react"
import { kindLabel, kinds, statuses, statusLabel, vendorNames, vendors } from "../lib/format.ts"
import type { InboxSearch } from "./search.ts"

export const Filters = ({
  search,
  searchBox,
}: {
  readonly search: InboxSearch
  readonly searchBox: RefObject<HTMLInputElement | null>
}) => {
  const navigate = useNavigate({ from: "/" })
  const set = (patch: Partial<Record<keyof InboxSearch, unknown>>) =>
    void navigate({
      search: (prev) => {
        const next: Record<string, unknown> = { ...prev, ...patch }
        for (const key of Object.keys(next)) {
          const value = next[key]
          if (value === undefined || value === false || value === "" || (Array.isArray(value) && value.length === 0))
            delete next[key]
        }
        return next as InboxSearch
      },
      replace: true,
    })
  // Text is applied as it is typed, a quarter second after the last key.
  const [q, setQ] = useState(search.q ?? "")
  const [assignee, setAssignee] = useState(search.assignee ?? "")
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((search.q ?? "") !== q || (search.assignee ?? "") !== assignee) set({ q, assignee })
    }, 250)
    return () => clearTimeout(timer)
  })
  return (
    <Group gap="xs" align="flex-end" wrap="wrap" role="search" aria-label="Filter the inbox">
      <TextInput
        ref={searchBox}
        label="Search (/)"
        placeholder="Words in title or description"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        w={220}
        size="xs"
      />
      <MultiSelect
        label="Vendor"
        data={vendors.map((v) => ({ value: v, label: vendorNames[v] ?? v }))}
        value={[...(search.vendor ?? [])]}
        onChange={(v) => set({ vendor: v })}
        placeholder="All"
        clearable
        w={170}
        size="xs"
      />
      <MultiSelect
        label="Kind"
        data={kinds.map((k) => ({ value: k, label: kindLabel(k) }))}
        value={[...(search.kind ?? [])]}
        onChange={(v) => set({ kind: v })}
        placeholder="All"
        clearable
        w={170}
        size="xs"
      />
      <MultiSelect
        label="Status"
        data={statuses.map((s) => ({ value: s, label: statusLabel(s) }))}
        value={[...(search.status ?? [])]}
        onChange={(v) => set({ status: v })}
        placeholder="All"
        clearable
        w={170}
        size="xs"
      />
      <TextInput
        label="Assignee"
        placeholder="user id, e-mail, queue:id"
        value={assignee}
        onChange={(e) => setAssignee(e.currentTarget.value)}
        w={170}
        size="xs"
      />
      <Select
        label="Sort"
        data={[
          { value: "updated-desc", label: "Last change, newest" },
          { value: "updated-asc", label: "Last change, oldest" },
        ]}
        value={search.sort ?? "updated-desc"}
        onChange={(v) => set({ sort: v === "updated-asc" ? v : undefined })}
        allowDeselect={false}
        w={170}
        size="xs"
      />
      <Group gap="sm" pb={6}>
        <Checkbox
          label="Overdue"
          checked={search.overdue === true}
          onChange={(e) => set({ overdue: e.currentTarget.checked })}
          size="xs"
        />
        <Checkbox
          label="Has conflict"
          checked={search.conflict === true}
          onChange={(e) => set({ conflict: e.currentTarget.checked })}
          size="xs"
        />
        <Checkbox
          label="Has failed push"
          checked={search.failed === true}
          onChange={(e) => set({ failed: e.currentTarget.checked })}
          size="xs"
        />
      </Group>
    </Group>
  )
}
