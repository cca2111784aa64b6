// Editing a work item: only the fields and statuses its state machine and linked vendors allow (`tasks.editability`),
// the rest shown disabled with the reason. Writes carry the version the form was opened at; a stale one explains
// itself and offers the fresh version. Viewers see the fields read-only with no controls.
import { Alert, Button, Card, Select, Stack, Text, Textarea, TextInput, Title } from "@mantine/core"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { priorities, statuses, statusLabel } from "../lib/format.ts"
import { toast } from "../lib/toast.ts"
import { tone } from "../lib/tone.ts"
import { errorCode, errorDetails, errorMessage, type Task, useTRPC } from "../lib/trpc.ts"
import { useCan } from "../lib/useSession.ts"
import { type FieldRule, useEditability } from "./editability.ts"

const Reason = ({ rule }: { readonly rule: FieldRule | undefined }) =>
  rule?.reason !== undefined ? (
    <Text size="xs" c={tone.warn}>
      {rule.reason}
    </Text>
  ) : null

export const EditForm = ({ task, onFresh }: { readonly task: Task; readonly onFresh: () => void }) => {
  const canEdit = useCan("operator")
  const trpc = useTRPC()
  const client = useQueryClient()
  const rules = useEditability(task, canEdit)
  const [title, setTitle] = useState(task.title)
  const [status, setStatus] = useState<string>(task.status)
  const [priority, setPriority] = useState<string>(task.priority)
  const [description, setDescription] = useState(task.description ?? "")
  const [note, setNote] = useState("")
  const [version, setVersion] = useState(task.version)
  const update = useMutation(
    trpc.tasks.update.mutationOptions({
      onSuccess: (saved) => {
        setVersion(saved.version)
        setNote("")
        toast({ color: "green", title: "Saved", message: "The change is on its way to the vendor." })
        void client.invalidateQueries({ queryKey: trpc.tasks.pathKey() })
      },
    }),
  )
  if (!canEdit)
    return (
      <Card withBorder component="aside" aria-label="Read only">
        <Text size="sm">Your role can read this work item. An operator or admin can change it.</Text>
      </Card>
    )
  const stale = update.isError && errorCode(update.error) === "CONFLICT"
  // The fresh version remounts the form (TaskView keys it), so every input starts again from what is stored now.
  const fresh = () => {
    update.reset()
    onFresh()
  }
  const patch = {
    ...(title !== task.title ? { title } : {}),
    ...(status !== task.status ? { status } : {}),
    ...(priority !== task.priority ? { priority } : {}),
    ...(description !== (task.description ?? "") ? { description: description === "" ? null : description } : {}),
    ...(note.trim() === "" ? {} : { note }),
  }
  const statusOptions = statuses.map((s) => ({
    value: s,
    label: statusLabel(s),
    disabled: s !== task.status && rules.statuses !== undefined && !rules.statuses.includes(s),
  }))
  const violations = (errorDetails(update.error)?.violations ?? []) as ReadonlyArray<{ message?: string } | string>
  return (
    <Card withBorder component="section" aria-label="Edit">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          update.mutate({ id: task.id as never, expectedVersion: version, patch: patch as never })
        }}
      >
        <Stack gap="sm">
          <Title order={3} size="h4">
            Edit
          </Title>
          {version !== task.version && !stale && (
            <Text size="xs" c="dark.6">
              This work item changed since the form opened (version {task.version}).{" "}
              <Button variant="subtle" size="compact-xs" onClick={fresh}>
                Load it
              </Button>
            </Text>
          )}
          <TextInput
            label="Title"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            disabled={!rules.field("title").editable}
          />
          <Reason rule={rules.field("title")} />
          <Select
            label="Status"
            data={statusOptions}
            value={status}
            onChange={(v) => v !== null && setStatus(v)}
            allowDeselect={false}
            disabled={!rules.field("status").editable}
          />
          <Reason rule={rules.field("status")} />
          {rules.statusReasons.length > 0 && (
            <Text size="xs" c="dark.6">
              {rules.statusReasons.join(" ")}
            </Text>
          )}
          <Select
            label="Priority"
            data={priorities.map((p) => ({ value: p, label: p }))}
            value={priority}
            onChange={(v) => v !== null && setPriority(v)}
            allowDeselect={false}
            disabled={!rules.field("priority").editable}
          />
          <Reason rule={rules.field("priority")} />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={6}
            disabled={!rules.field("description").editable}
          />
          <Reason rule={rules.field("description")} />
          <Textarea
            label="Add a note"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            disabled={!rules.field("note").editable}
          />
          <Reason rule={rules.field("note")} />
          {stale && (
            <Alert color="orange" title="Someone changed this work item meanwhile" role="alert">
              Your edit was made on version {version}; it is now at version{" "}
              {String(errorDetails(update.error)?.currentVersion ?? "newer")}. Nothing was saved. Load the fresh
              version, check what changed, and make your edit again.
              <Button mt="xs" size="xs" onClick={fresh}>
                Load the fresh version
              </Button>
            </Alert>
          )}
          {update.isError && !stale && (
            <Alert color="red" title="The change was refused" role="alert">
              {errorMessage(update.error)}
              {violations.map((v) => (
                <Text size="sm" key={typeof v === "string" ? v : (v.message ?? JSON.stringify(v))}>
                  {typeof v === "string" ? v : (v.message ?? JSON.stringify(v))}
                </Text>
              ))}
            </Alert>
          )}
          <Button type="submit" loading={update.isPending} disabled={Object.keys(patch).length === 0}>
            Save
          </Button>
        </Stack>
      </form>
    </Card>
  )
}
