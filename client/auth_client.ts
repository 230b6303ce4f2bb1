/**
 * {@linkcode AuthClient}: Momento's `IAuthClient` against kvolt, on sdk-core's
 * `AbstractAuthClient`. Disposable tokens are minted by `POST /v1/tokens`
 * (super-user keys only); kvolt has no long-lived API keys to generate or
 * refresh, so those methods answer an Error response saying so.
 *
 * @module
 */

import {
  type CredentialProvider,
  type DisposableTokenScope,
  ExpiresAt,
  type ExpiresIn,
  GenerateApiKey,
  GenerateDisposableToken,
  InvalidArgumentError,
  RefreshApiKey,
  UnknownServiceError,
} from "./_sdk_core.ts";
import type { IAuthClient } from "./_sdk_core.ts";
import { AbstractAuthClient } from "./_sdk_core.ts";
import {
  validateDisposableTokenExpiry,
  validateDisposableTokenTokenID,
} from "./_sdk_core.ts";
import type { DisposableTokenProps } from "./_sdk_core.ts";
import { type Configuration, Configurations } from "./configuration.ts";
import {
  clientFetch,
  clientTransport,
  type ConnectionOptions,
} from "./connection.ts";
import { ErrorMapper } from "./errors.ts";
import { toKvoltPermissions } from "./token_scope.ts";
import type { HttpTransport } from "./transport.ts";

/** What an {@linkcode AuthClient} is made from. */
export interface AuthClientProps extends ConnectionOptions {
  /** A super-user key (only those may mint tokens). */
  credentialProvider: CredentialProvider;
  /** Timeouts and throwOnErrors. Default `Configurations.Laptop.latest()`. */
  configuration?: Configuration;
}

class TokenClient implements IAuthClient {
  readonly #transport: HttpTransport;
  readonly #errors: ErrorMapper;

  constructor(transport: HttpTransport, errors: ErrorMapper) {
    this.#transport = transport;
    this.#errors = errors;
  }

  generateApiKey(): Promise<GenerateApiKey.Response> {
    return Promise.resolve(this.#errors.returnOrThrowError(
      new InvalidArgumentError(
        "Unsupported operation: kvolt has no API keys to generate: use generateDisposableToken",
      ),
      (e) => new GenerateApiKey.Error(e),
    ));
  }

  generateAuthToken(): Promise<GenerateApiKey.Response> {
    return this.generateApiKey();
  }

  refreshApiKey(): Promise<RefreshApiKey.Response> {
    return Promise.resolve(this.#errors.returnOrThrowError(
      new InvalidArgumentError(
        "Unsupported operation: kvolt has no API keys to refresh: mint a new disposable token",
      ),
      (e) => new RefreshApiKey.Error(e),
    ));
  }

  refreshAuthToken(): Promise<RefreshApiKey.Response> {
    return this.refreshApiKey();
  }

  async generateDisposableToken(
    scope: DisposableTokenScope,
    expiresIn: ExpiresIn,
    props?: DisposableTokenProps,
  ): Promise<GenerateDisposableToken.Response> {
    try {
      validateDisposableTokenExpiry(expiresIn);
      const body: Record<string, unknown> = {
        expiresInSeconds: expiresIn.seconds(),
        permissions: toKvoltPermissions(scope),
      };
      if (props?.tokenId !== undefined) {
        validateDisposableTokenTokenID(props.tokenId);
        body.tokenId = props.tokenId;
      }
      const answer = await this.#transport.send({
        method: "POST",
        path: "/v1/tokens",
        body,
        idempotent: false,
      }) as { authToken?: unknown; endpoint?: unknown; expiresAt?: unknown };
      if (
        typeof answer?.authToken !== "string" ||
        typeof answer.expiresAt !== "number"
      ) {
        throw new UnknownServiceError(
          `Invalid token response: ${JSON.stringify(answer)}`,
        );
      }
      return new GenerateDisposableToken.Success(
        answer.authToken,
        String(answer.endpoint ?? ""),
        ExpiresAt.fromEpoch(answer.expiresAt),
      );
    } catch (err) {
      return this.#errors.returnOrThrowError(
        err,
        (e) => new GenerateDisposableToken.Error(e),
      );
    }
  }
}

/**
 * Mints disposable tokens with Momento's `AuthClient` API. The token is a
 * kvolt JWT carrying its endpoint, so `CredentialProvider.fromString({ apiKey:
 * token })` (or `fromDisposableToken`) is all a second client needs.
 *
 * @example
 * ```ts
 * import { AuthClient, CredentialProvider } from "../mod.ts";
 * const claims = btoa(JSON.stringify({ c: "127.0.0.1:8443", cp: "127.0.0.1:8443" }));
 * const auth = new AuthClient({
 *   credentialProvider: CredentialProvider.fromString({ apiKey: `e30.${claims}.sig` }),
 * });
 * if (typeof auth.generateDisposableToken !== "function") throw new Error();
 * ```
 */
export class AuthClient extends AbstractAuthClient {
  readonly #close: () => void;

  /** @param props a super-user credential and connection options */
  constructor(props: AuthClientProps) {
    const { fetch, close } = clientFetch(props);
    super({
      createAuthClient: () => {
        const configuration = props.configuration ??
          Configurations.Laptop.latest();
        return new TokenClient(
          clientTransport(props, configuration, fetch, "token"),
          new ErrorMapper(configuration.getThrowOnErrors()),
        );
      },
    });
    this.#close = close;
  }

  /** Releases the HTTP client made for `caCertificate`, if any. */
  close(): void {
    this.#close();
  }
}
