// Toasts (Mantine notifications) with what Mantine leaves out for screen readers and contrast: a named close button
// and description text dark enough for 4.5:1.
import { type NotificationData, notifications } from "@mantine/notifications"

export const toast = (data: NotificationData) =>
  notifications.show({
    ...data,
    closeButtonProps: { "aria-label": "Dismiss this notice" },
    styles: { description: { color: "var(--mantine-color-dark-7)" } },
  })
