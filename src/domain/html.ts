/** Escapes text for HTML element content and attribute values (pages and e-mail parts). */
export const escapeHtml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": '#39' }[c]};`);
