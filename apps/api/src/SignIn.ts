// The page the printed one-time sign-in link opens (`/signin#<code>`): its one script reads the code from the
// fragment (never sent to any server or log), erases it from the address bar, exchanges it at `POST /session/link`
// for the session cookie and goes to the console — or says plainly why the link was refused (used, expired).
import { createHash } from "node:crypto"
import { csrfHeader } from "./Session.ts"

const script = `
(function () {
  var out = document.getElementById("status");
  var code = location.hash.slice(1) || new URLSearchParams(location.search).get("code") || "";
  history.replaceState(null, "", "/signin");
  if (code === "") { out.textContent = "This link holds no sign-in code. Sign in with an API token in the console."; return; }
  fetch("/session/link", {
    method: "POST", credentials: "same-origin",
    headers: { "content-type": "application/json", "${csrfHeader}": "1" },
    body: JSON.stringify({ code: code })
  }).then(function (r) {
    return r.json().then(function (body) {
      if (r.ok) { out.textContent = "Signed in as " + body.tokenName + ". Opening the console…"; location.replace("/"); }
      else { out.textContent = body.error || "The sign-in link was refused."; document.getElementById("home").hidden = false; }
    });
  }, function () { out.textContent = "The API could not be reached. Is pnpm start still running?"; });
})();
`

/** The CSP hash that allows exactly this page's script. */
export const signInScriptHash = `sha256-${createHash("sha256").update(script).digest("base64")}`

export const signInPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signing in to taskbridge</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>taskbridge</h1>
<p id="status" role="status" aria-live="polite">Signing in…</p>
<p id="home" hidden><a href="/">Open the console to sign in with a token</a></p>
<script>${script}</script>
</body></html>`
