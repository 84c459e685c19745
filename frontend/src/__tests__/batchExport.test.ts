import { describe, expect, it } from 'vitest'

import { batchCsv, batchFileName, batchJson } from '../batchExport.ts'
import { doneEntry, failedEntry, sampleBatch, sampleEntry } from './batchFixtures.ts'

describe('batch downloads', () => {
  const batch = sampleBatch('running', [
    doneEntry(1, 'jazz', 0.8123),
    failedEntry(2, 'download_failed', 'The server answered "404", not the song.'),
    sampleEntry(3, { title: '=HYPERLINK("http://evil")', state: 'analyzing' }),
  ])

  it('writes one CSV row per entry, in order, with a header', () => {
    const lines = batchCsv(batch).trimEnd().split('\r\n')
    expect(lines[0]).toBe('index,title,url,state,top_genre,confidence,error_code,error_message,job_id')
    expect(lines[1]).toBe('1,Episode 1,http://127.0.0.1:9000/song-1.ogg,done,jazz,0.8123,,,job1')
    expect(lines[2]).toBe(
      '2,Episode 2,http://127.0.0.1:9000/song-2.ogg,failed,,,download_failed,"The server answered ""404"", not the song.",job2',
    )
    expect(lines).toHaveLength(4)
  })

  it('never lets a spreadsheet run a title as a formula', () => {
    const row = batchCsv(batch).split('\r\n')[3]
    expect(row.startsWith(`3,"'=HYPERLINK(""http://evil"")"`)).toBe(true)
  })

  it('writes the batch as JSON, as the API gave it', () => {
    expect(JSON.parse(batchJson(batch))).toEqual(batch)
    expect(batchFileName(batch, 'csv')).toBe('playlist-batch123.csv')
  })
})
