// The one soak config every package runs with (`pnpm test:soak` passes it to each package that has `*.soak.ts`).
import { taskbridgeSoak } from "./src/index.ts"

export default taskbridgeSoak()
