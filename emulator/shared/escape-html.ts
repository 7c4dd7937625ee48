// Text put into the HTML pages the emulators serve (Entra ID's sign-in, picker and form-post pages).

/** The text with the five characters HTML gives meaning to replaced by their entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
