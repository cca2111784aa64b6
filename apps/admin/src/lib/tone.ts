// Colours with at least 4.5:1 contrast against white and the console's light tints (WCAG AA), for status text and
// filled badges; Mantine's mid shades (e.g. green.9 under white text) fall just short.
export const tone = {
  ok: "#1b5e20",
  bad: "#a61b1b",
  info: "#174a8b",
  warn: "#7a3d00",
  busy: "#5f1d8c",
  muted: "#43474d",
} as const
