import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunningServer } from '../../electron/http/server'
import { api, pathOf, send } from '../helpers/http'
import { startTestServer } from '../helpers/testServer'

/** A server with a built file to serve and a file beside the UI that it must not serve. */
async function start(): Promise<RunningServer> {
  const s = await startTestServer()
  writeFileSync(join(s.rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(s.dir, 'secret.txt'), 'secret')
  return s
}

describe('lectern serve', () => {
  it('binds to 127.0.0.1 and hands the token only to the browser given the printed address', async () => {
    const s = await start()
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+$/)
    const host = { Host: `127.0.0.1:${s.port}` }
    const stranger = await send(s.port, '/', { headers: host })
    expect(stranger.status).toBe(200)
    expect(stranger.body).not.toContain(s.token)
    const wrongKey = await send(s.port, `/?key=${'x'.repeat(32)}`, { headers: host })
    expect(wrongKey.status).toBe(403)
    expect(wrongKey.body).not.toContain(s.token)
    const entry = await send(s.port, pathOf(s.url), { headers: host })
    expect(entry.status).toBe(200)
    expect(entry.body).toContain(`<meta name="lectern-token" content="${s.token}" />`)
    expect(entry.headers['set-cookie']).toBeUndefined()
    expect(entry.headers['cache-control']).toBe('no-store')
    expect(entry.headers['referrer-policy']).toBe('no-referrer')
    expect(entry.headers['content-security-policy']).toContain("script-src 'self'")
    expect(s.token.length).toBeGreaterThanOrEqual(32)
  })

  it('answers the API with the token, and refuses it without', async () => {
    const s = await start()
    const ok = await api(s, 'importSample', {})
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { added: 95 } })
    const noToken = await api(s, 'stats', {}, { 'X-Lectern-Token': '' })
    expect(noToken.status).toBe(403)
    const wrong = await api(s, 'stats', {}, { 'X-Lectern-Token': 'x'.repeat(s.token.length) })
    expect(wrong.status).toBe(403)
  })

  it('refuses foreign hosts and origins (DNS rebinding, other sites)', async () => {
    const s = await start()
    expect((await send(s.port, '/', { headers: { Host: 'evil.example' } })).status).toBe(421)
    expect((await api(s, 'stats', {}, { Host: `evil.example:${s.port}` })).status).toBe(421)
    expect((await api(s, 'stats', {}, { Origin: 'http://evil.example' })).status).toBe(403)
    expect((await api(s, 'stats', {}, { Origin: `http://localhost:${s.port}` })).status).toBe(200)
  })

  it('validates requests at the boundary with a message naming the field', async () => {
    const s = await start()
    const bad = JSON.parse((await api(s, 'setStatus', { id: 1, status: 'devoured' })).body)
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(bad.error.message).toMatch(/^setStatus: status: /)
    const missing = JSON.parse((await api(s, 'getPaper', { id: 7 })).body)
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'there is no paper with id 7' },
    })
    const notJson = await send(s.port, '/api/stats', {
      method: 'POST',
      headers: { Host: `127.0.0.1:${s.port}`, 'X-Lectern-Token': s.token },
      body: '{nope',
    })
    expect(notJson.status).toBe(400)
    expect((await api(s, 'dropTables', {})).status).toBe(404)
  })

  it('serves only the built UI, never files beside it', async () => {
    const s = await start()
    const host = { Host: `127.0.0.1:${s.port}` }
    expect((await send(s.port, '/assets/app.js', { headers: host })).status).toBe(200)
    expect((await send(s.port, '/../secret.txt', { headers: host })).status).toBe(404)
    expect((await send(s.port, '/%2e%2e/secret.txt', { headers: host })).status).toBe(404)
    expect((await send(s.port, '/%E0%A4%A', { headers: host })).status).toBe(400)
  })
})
