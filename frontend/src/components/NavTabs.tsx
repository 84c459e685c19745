import type { MouseEvent } from 'react'

import { isPlainClick, routeHref, type Route, type View } from '../url.ts'

const PAGES: Array<{ view: View; label: string }> = [
  { view: 'classify', label: 'Classify' },
  { view: 'model', label: 'Model' },
]

interface Props {
  route: Route
  onNavigate: (route: Route) => void
}

/** The page's two views, as links (they work without the script, in new tabs, and by keyboard). */
export function NavTabs({ route, onNavigate }: Props) {
  const go = (event: MouseEvent<HTMLAnchorElement>, target: Route) => {
    if (!isPlainClick(event)) return
    event.preventDefault()
    onNavigate(target)
  }

  return (
    <nav className="nav" aria-label="Pages">
      {PAGES.map(({ view, label }) => {
        const target: Route = { view, jobId: route.jobId }
        return (
          <a
            key={view}
            href={routeHref(target)}
            className="nav-link"
            aria-current={route.view === view ? 'page' : undefined}
            data-testid={`nav-${view}`}
            onClick={(event) => go(event, target)}
          >
            {label}
          </a>
        )
      })}
    </nav>
  )
}
