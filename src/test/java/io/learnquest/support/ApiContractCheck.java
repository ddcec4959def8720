package io.learnquest.support;

import io.learnquest.web.ApiDocument;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.ValidatorException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Holds every HTTP answer the end-to-end tests get to the API document: the status must be one the
 * route's operation documents, and the body must match that response's schema (vertx-openapi's
 * {@link ResponseValidator}). An answer of a route the document does not know (an unknown path, a
 * wrong method) must still be the documented error body.
 */
public final class ApiContractCheck {
  private static OpenAPIContract contract;

  private ApiContractCheck() {
  }

  /** The document, parsed and checked once per test JVM. */
  public static synchronized OpenAPIContract contract(Vertx vertx) {
    if (contract == null) {
      try {
        contract = ApiDocument.contract(vertx).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("openapi.json is not a valid OpenAPI 3.1 document: " + e.getMessage(), e);
      }
    }
    return contract;
  }

  /** Fails (AssertionError) when the answer to {@code method uri} does not match the document. */
  public static void check(Vertx vertx, HttpMethod method, String uri, int status, String contentType, String body) {
    OpenAPIContract api = contract(vertx);
    String path;
    try {
      path = URI.create(uri).getRawPath();
    } catch (IllegalArgumentException malformed) {
      // A URI no route can match (malformed percent-encoding): only the error body can answer it.
      checkErrorBody(api, method, uri, status, contentType, body);
      return;
    }
    Operation operation = api.findOperation(path, method);
    if (operation == null) {
      checkErrorBody(api, method, uri, status, contentType, body);
      return;
    }
    ValidatableResponse response = body == null || body.isEmpty()
        ? ValidatableResponse.create(status)
        : ValidatableResponse.create(status, Buffer.buffer(body), mediaType(contentType));
    try {
      ResponseValidator.create(vertx, api).validate(response, operation.getOperationId()).await(30, TimeUnit.SECONDS);
    } catch (ValidatorException e) {
      throw new AssertionError("the answer to " + method + " " + uri + " (" + operation.getOperationId() + ") breaks "
          + "openapi.json: " + status + " " + body + ": " + describe(e), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("checking the answer to " + method + " " + uri + " timed out", e);
    }
  }

  private static void checkErrorBody(OpenAPIContract api, HttpMethod method, String uri, int status,
                                     String contentType, String body) {
    if (status < 400) {
      throw new AssertionError(method + " " + uri + " answered " + status + " but openapi.json has no such route");
    }
    if (!"application/json".equals(mediaType(contentType))) {
      throw new AssertionError(method + " " + uri + " answered " + status + " without a JSON error body: " + body);
    }
    OutputUnit result = api.getSchemaRepository().validator("#/components/schemas/Error").validate(new JsonObject(body));
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw new AssertionError(method + " " + uri + " answered " + status + " with a body that is not the error body: "
          + body + ": " + result.toJson().encode());
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private static String describe(ValidatorException e) {
    StringBuilder text = new StringBuilder(e.getMessage());
    if (e instanceof io.vertx.openapi.validation.SchemaValidationException s && s.getOutputUnit() != null) {
      text.append(' ').append(s.getOutputUnit().toJson().encode());
    }
    return text.toString();
  }
}
