// Calling the JSON API from a signed-in page: the session cookie, the page's CSRF token, JSON both ways.

// Send `body` (if any) with `method` to `url`; answers {ok, status, answer}, answer being {} if not JSON.
// A 401 means the sign-in ended: go to `signIn` (a page address) to sign in again.
export async function callApi(method, url, { csrf, body, headers = {}, signIn } = {}) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401 && signIn) window.location.assign(signIn);
  return { ok: response.ok, status: response.status, answer };
}
