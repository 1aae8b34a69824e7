// The global styles first, so that every component's module comes after them in the cascade;
// the theme chosen is applied before anything renders.
import './styles/tokens.css'
import './styles/base.css'
import './theme/theme'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { App } from './App'
import { call } from './api/client'
import { keys } from './hooks/queries'
import { NoteDrafts } from './notes/noteDrafts'
import { NoteDraftsContext } from './notes/useNoteDraft'

const queryClient = new QueryClient({
  defaultOptions: {
    // The library is local: data is fresh until a mutation says otherwise.
    queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
  },
})

const drafts = new NoteDrafts(
  (id, note) => call('setNote', { id, note }),
  (paper) => {
    queryClient.setQueryData(keys.paper(paper.id), paper)
    void queryClient.invalidateQueries({ queryKey: keys.papers })
    void queryClient.invalidateQueries({ queryKey: keys.stats })
  },
)

// Leaving with a note unsaved: save it now, and ask the browser to hold on.
window.addEventListener('beforeunload', (event) => {
  if (drafts.hasUnsaved()) {
    drafts.flushAllNow()
    event.preventDefault()
  }
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <NoteDraftsContext.Provider value={drafts}>
        <App />
      </NoteDraftsContext.Provider>
    </QueryClientProvider>
  </StrictMode>,
)
