// The account picker the emulated sign-in page shows when no user is configured to sign in automatically.
import type { TenantUser } from '../tenant/tenant.js';
import { escapeHtml } from '../shared/escape-html.js';

export function pickerPage(users: TenantUser[], params: Record<string, string>, action: string): string {
  const hidden = Object.entries(params)
    .filter(([k]) => k !== 'selected_user')
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const buttons = users
    .map(
      (u) =>
        `<button name="selected_user" value="${escapeHtml(u.id)}"><strong>${escapeHtml(u.displayName)}</strong><br><small>${escapeHtml(u.userPrincipalName)}</small></button>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in: local Entra ID emulator</title>
<style>body{font-family:'Segoe UI',system-ui,sans-serif;max-width:440px;margin:40px auto;padding:0 16px;color:#1b1b1b}
h1{font-size:22px}p{color:#555}form{display:grid;gap:8px}button{text-align:start;padding:10px 12px;border:1px solid #ccc;border-radius:4px;background:#fff;cursor:pointer;font:inherit}
button:hover,button:focus{border-color:#0067b8;outline:2px solid #0067b8}</style></head>
<body><h1>Pick an account</h1><p>Local Microsoft Entra ID emulator: no password, no cloud account.</p>
<form method="post" action="${escapeHtml(action)}">${hidden}${buttons}</form></body></html>`;
}
