// The session as a query every view reads: who is signed in and with which role (a viewer gets no edit controls).
import { useQuery, useQueryClient } from "@tanstack/react-query"
import { currentSession, type Role, type Session } from "./session.ts"

export const sessionKey = ["session"] as const

export const useSession = () =>
  useQuery({ queryKey: sessionKey, queryFn: currentSession, staleTime: 60_000, retry: false })

export const useSetSession = () => {
  const client = useQueryClient()
  return (session: Session | null) => client.setQueryData(sessionKey, session)
}

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 }

/** Whether the signed-in role may do what needs `role`. */
export const useCan = (role: Role): boolean => {
  const { data } = useSession()
  return data != null && rank[data.role] >= rank[role]
}
