// Checks the "next" parameter of the sign-in page so it can only lead to a page of this app.

/** Returns path when it is a same-origin app path other than sign-in and setup, else null. */
export function safeNextPath(path: string | null | undefined): string | null {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) {
    return null;
  }
  if (path.startsWith('/sign-in') || path.startsWith('/setup') || path.startsWith('/api/')) {
    return null;
  }
  return path;
}
