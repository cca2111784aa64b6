// The console's entry: Mantine (theme, notifications), TanStack Query with the typed tRPC client, and the router.
import "@mantine/core/styles.css"
import "@mantine/notifications/styles.css"
import "uplot/dist/uPlot.min.css"
import { createTheme, MantineProvider } from "@mantine/core"
import { Notifications } from "@mantine/notifications"
import { QueryClientProvider } from "@tanstack/react-query"
import { RouterProvider } from "@tanstack/react-router"
import { StrictMode, useState } from "react"
import { createRoot } from "react-dom/client"
import { makeClient, makeQueryClient, TRPCProvider } from "./lib/trpc.ts"
import { router } from "./router.tsx"

// Darker primary shades than Mantine's default blue keep white-on-primary text above 4.5:1 (WCAG AA).
// Transitions follow the operator's reduced-motion setting.
const theme = createTheme({ primaryColor: "indigo", primaryShade: 8, defaultRadius: "sm", respectReducedMotion: true })

const App = () => {
  const [queryClient] = useState(makeQueryClient)
  const [trpcClient] = useState(makeClient)
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-right" limit={4} />
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <RouterProvider router={router} />
        </TRPCProvider>
      </QueryClientProvider>
    </MantineProvider>
  )
}

const root = document.getElementById("root")
if (root !== null)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
