// Page helpers every page module uses. Text goes in with textContent only: names come from runners and are
// never parsed as HTML.

// The element with this id.
export const $ = (id) => document.getElementById(id);

// A new element with a class and text.
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// Read a JSON block the page embedded for its script.
export function pageData(id) {
  return JSON.parse(document.getElementById(id).textContent);
}
