// Builds the console into `dist/`, which the API serves at `/` (same origin as `/trpc`, so the session cookie and the
// CSRF header need no CORS). `pnpm --filter @taskbridge/admin dev` proxies `/trpc` and `/session` to a local API.
import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"

const api = process.env.TASKBRIDGE_API_URL ?? "http://127.0.0.1:4000"

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { "/trpc": api, "/session": api } },
})
