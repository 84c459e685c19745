import type { Batch } from '../api.ts'
import { batchCsv, batchFileName, batchJson } from '../batchExport.ts'

interface Props {
  batch: Batch
}

function save(text: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  // After the click has handed the file to the browser.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The table as CSV (for spreadsheets) or the whole batch as JSON, made in the browser from what it shows. */
export function BatchDownloads({ batch }: Props) {
  return (
    <div className="batch-downloads">
      <button
        type="button"
        className="button secondary"
        data-testid="download-csv"
        onClick={() => save(batchCsv(batch), 'text/csv', batchFileName(batch, 'csv'))}
      >
        Download CSV
      </button>
      <button
        type="button"
        className="button secondary"
        data-testid="download-json"
        onClick={() => save(batchJson(batch), 'application/json', batchFileName(batch, 'json'))}
      >
        Download JSON
      </button>
    </div>
  )
}
