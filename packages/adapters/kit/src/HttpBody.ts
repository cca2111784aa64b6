// Reading a vendor's answer body once, whatever it holds: JSON when it parses, the raw text otherwise (a proxy's
// HTML error page still tells the operator something), null when empty. Each adapter maps the transport error.
import { Effect } from "effect"
import type { HttpClientResponse } from "effect/http"

export const parseBody = (text: string): unknown => {
  if (text.trim() === "") return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const readBody = (response: HttpClientResponse.HttpClientResponse) => Effect.map(response.text, parseBody)
