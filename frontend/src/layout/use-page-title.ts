import { useEffect } from 'react';

export const SITE_NAME = 'CodiesVibe';
/** The home page's title, also the one index.html starts with. */
export const HOME_TITLE = `${SITE_NAME} · AI developer tools`;

/**
 * Sets the document title to "`title` · CodiesVibe" (the home page's title for ''), the form the
 * server uses for the pages it renders. `null` leaves the title as it is (a page still loading
 * keeps the title the server sent).
 */
export function usePageTitle(title: string | null): void {
  useEffect(() => {
    if (title !== null) document.title = title ? `${title} · ${SITE_NAME}` : HOME_TITLE;
  }, [title]);
}
