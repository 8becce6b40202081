import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An IAM endpoint in front of moto that answers the first `times` requests of one action with
 * IAM's Throttling error and forwards everything else: the SDK's own retries are exercised.
 */
export interface ThrottlingProxy {
  readonly endpoint: string;
  /** Requests of the throttled action seen, throttled ones included. */
  readonly seen: () => number;
  close(): Promise<void>;
}

export async function startThrottlingProxy(
  target: string,
  action: string,
  times: number,
): Promise<ThrottlingProxy> {
  let seen = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.toString().includes(`Action=${action}`) && seen++ < times) {
        response.writeHead(400, { 'content-type': 'text/xml' });
        response.end(
          '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>0</RequestId></ErrorResponse>',
        );
        return;
      }
      const url = new URL(request.url ?? '/', target);
      const upstream = http.request(
        url,
        { method: request.method, headers: { ...request.headers, host: url.host } },
        (reply) => {
          response.writeHead(reply.statusCode ?? 500, reply.headers);
          reply.pipe(response);
        },
      );
      upstream.on('error', (err) => {
        response.writeHead(502);
        response.end(String(err));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen: () => seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
