import type { Duplex } from 'node:stream';
import { PROBLEM_TITLES } from '../lib/errors';
import { newId } from '../lib/ids';

/**
 * Answers a request Node's HTTP parser refused before the app saw it (a request line or headers over
 * Node's 16 KiB limit, a malformed request) with the same problem+json as every other 400 — instead of
 * Node's bare status line — then closes the connection, which cannot be reused after a parse error.
 *
 * @example
 * server.on('clientError', answerClientError);
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || (error.code === 'ECONNRESET' && !socket.readable)) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW' || error.code === 'HPE_URI_OVERFLOW';
  const requestId = newId('request');
  const body = JSON.stringify({
    type: 'urn:openissuing:problem:parameter_invalid',
    title: PROBLEM_TITLES.parameter_invalid,
    status: 400,
    detail: tooLarge
      ? 'The request line and headers are over 16 KiB; shorten the query string (long values belong in a JSON body).'
      : 'The HTTP request could not be parsed; check the request line and headers.',
    code: 'parameter_invalid',
    request_id: requestId,
  });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRequest-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
}
