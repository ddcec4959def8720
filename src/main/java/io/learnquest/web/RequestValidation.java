package io.learnquest.web;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates requests against the API document (vertx-openapi's contract, parameter transformers and
 * JSON Schema validators) and refuses with the JSON error body: a parameter with {@code invalid_value}
 * or {@code missing_field} and its name as {@code field}; a body with {@code invalid_json}, or
 * {@code invalid_request} and the JSON path at fault.
 *
 * <p>Not vertx-openapi's {@code RequestValidator.validate(...)}: it runs every request on a worker
 * thread (executeBlocking) and builds a schema validator per parameter per request, and it names a
 * failed parameter only inside a sentence, where the error body needs it in {@code field}. Here the
 * validators are built once per operation and run on the event loop in microseconds.
 *
 * <p>A route whose handler validates its body with the engine's own, richer validator (badge
 * definitions) calls {@link #bodyRefusal} after it: the domain names a problem with its specific
 * code first, and the document refuses only what the domain let through. Event and batch bodies
 * are not checked against the schema at run time: vertx-json-schema takes about 150 us of CPU per
 * event, and the event validator refuses everything the schema refuses (LearningEventSchemaTest).
 */
final class RequestValidation {
  /** Where {@link #parameters} leaves the request's documented operation for the later handlers. */
  static final String OPERATION = "learnquest.openapi.operation";

  private final OpenAPIContract contract;
  private final Map<Style, ParameterTransformer> transformers = new EnumMap<>(Style.class);
  private final Map<Parameter, Validator> parameterValidators = new IdentityHashMap<>();
  private final Map<Operation, Validator> bodyValidators = new IdentityHashMap<>();
  /**
   * Per parameter, raw values already found valid: a parameter's verdict depends on its raw text
   * alone, and most requests repeat a few values ({@code wait=true} on every event), whose
   * transform and schema validation cost a few percent of the node's CPU per event. Bounded, so
   * values that vary (ids in paths) stop being remembered and are checked each time.
   */
  private final Map<Parameter, Set<String>> validRaw = new IdentityHashMap<>();
  static final int VALID_RAW_PER_PARAMETER = 64;
  static final int VALID_RAW_MAX_LENGTH = 64;

  RequestValidation(OpenAPIContract contract) {
    this.contract = contract;
    transformers.put(Style.SIMPLE, new SimpleTransformer());
    transformers.put(Style.FORM, new FormTransformer());
    transformers.put(Style.LABEL, new LabelTransformer());
    transformers.put(Style.MATRIX, new MatrixTransformer());
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        parameterValidators.put(parameter, contract.getSchemaRepository().validator(parameter.getSchema()));
        validRaw.put(parameter, ConcurrentHashMap.newKeySet());
      }
      MediaType json = jsonMediaType(operation);
      if (json != null && json.getSchema() != null) {
        bodyValidators.put(operation, contract.getSchemaRepository().validator(json.getSchema()));
      }
    }
  }

  /**
   * The router's first handler: finds the documented operation of the request and checks its path,
   * query and header parameters. A request the document does not know goes on to the router, which
   * answers 404 or 405 as before.
   */
  void parameters(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Operation operation = contract.findOperation(request.path(), request.method());
    if (operation == null) {
      ctx.next();
      return;
    }
    ctx.put(OPERATION, operation);
    try {
      for (Parameter parameter : operation.getParameters()) {
        check(parameter, raw(request, operation, parameter));
      }
    } catch (InvalidInputException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    ctx.next();
  }

  /**
   * A route handler after the route's BodyHandler, for routes that have no validator of their own:
   * refuses a body that is missing, not JSON, or breaks the operation's schema.
   */
  void body(RoutingContext ctx) {
    Operation operation = ctx.get(OPERATION);
    RequestBody requestBody = operation == null ? null : operation.getRequestBody();
    if (requestBody == null) {
      ctx.next();
      return;
    }
    Buffer raw = ctx.body().buffer();
    InvalidInputException refusal;
    if (raw == null || raw.length() == 0) {
      refusal = requestBody.isRequired()
          ? new InvalidInputException(ErrorCodes.INVALID_JSON, "the body is empty; send a JSON document", null)
          : null;
    } else {
      try {
        refusal = bodyRefusal(ctx, Json.decodeValue(raw));
      } catch (DecodeException e) {
        refusal = new InvalidInputException(ErrorCodes.INVALID_JSON, "the body is not valid JSON", null);
      }
    }
    if (refusal != null) {
      HttpErrors.fail(ctx, refusal);
      return;
    }
    ctx.next();
  }

  /**
   * The document's verdict on a decoded body ({@code JsonObject}, {@code JsonArray} or a plain
   * value) of the request's operation: null when it conforms (or the operation has no body schema).
   */
  InvalidInputException bodyRefusal(RoutingContext ctx, Object decodedBody) {
    Operation operation = ctx.get(OPERATION);
    Validator validator = operation == null ? null : bodyValidators.get(operation);
    if (validator == null) {
      return null;
    }
    OutputUnit result = validator.validate(decodedBody);
    if (Boolean.TRUE.equals(result.getValid())) {
      return null;
    }
    OutputUnit at = mostSpecific(result);
    String path = jsonPath(at.getInstanceLocation());
    String reason = at.getError() == null ? "it does not match the schema" : at.getError();
    return new InvalidInputException(ErrorCodes.INVALID_REQUEST,
        "the body breaks the API document at " + (path == null ? "its top level" : path) + ": " + reason, path);
  }

  private void check(Parameter parameter, String raw) {
    if (raw == null) {
      if (parameter.isRequired()) {
        throw new InvalidInputException(ErrorCodes.MISSING_FIELD, parameter.getName() + " is required",
            parameter.getName());
      }
      return;
    }
    Set<String> known = validRaw.get(parameter);
    if (known.contains(raw)) {
      return;
    }
    Object value;
    if (isPlainString(parameter)) {
      value = raw;
    } else {
      try {
        value = transformers.get(parameter.getStyle()).transform(parameter, raw);
      } catch (RuntimeException e) {
        throw invalidParameter(parameter, "it cannot be read as its documented type");
      }
    }
    OutputUnit result = parameterValidators.get(parameter).validate(value);
    if (!Boolean.TRUE.equals(result.getValid())) {
      OutputUnit at = mostSpecific(result);
      throw invalidParameter(parameter, at.getError() == null ? "it does not match the schema" : at.getError());
    }
    if (raw.length() <= VALID_RAW_MAX_LENGTH && known.size() < VALID_RAW_PER_PARAMETER) {
      known.add(raw);
    }
  }

  /**
   * A string parameter in the simple (path) or form (query) style is its raw text. vertx-openapi's
   * transformer reads such a value as JSON unless it is all word characters, so an id like
   * {@code 12.5}, {@code -5} or {@code 1.0} (valid learner, course and event ids) became a number
   * and was refused as "not a string"; and every id with a {@code -} or {@code .} cost a failed
   * JSON parse, exception and all.
   */
  private static boolean isPlainString(Parameter parameter) {
    return parameter.getSchemaType() == SchemaType.STRING
        && (parameter.getStyle() == Style.SIMPLE || parameter.getStyle() == Style.FORM);
  }

  private static InvalidInputException invalidParameter(Parameter parameter, String reason) {
    return new InvalidInputException(ErrorCodes.INVALID_VALUE,
        "the " + parameter.getIn().toString().toLowerCase() + " parameter " + parameter.getName()
            + " breaks the API document: " + reason, parameter.getName());
  }

  /** The raw text of a parameter: router-decoded query values, the path segment percent-decoded. */
  private static String raw(HttpServerRequest request, Operation operation, Parameter parameter) {
    switch (parameter.getIn()) {
      case PATH -> {
        int segment = RequestUtils.findPathSegment(operation.getAbsoluteOpenAPIPath(), parameter.getName());
        String[] segments = request.path().substring(1).split("/", -1);
        if (segment < 1 || segments.length < segment) {
          return null;
        }
        // '+' is a plus in a path, not a space as in a form
        return URLDecoder.decode(segments[segment - 1].replace("+", "%2B"), StandardCharsets.UTF_8);
      }
      case QUERY -> {
        List<String> values = request.params().getAll(parameter.getName());
        return values.isEmpty() ? null : values.get(0);
      }
      case HEADER -> {
        return request.getHeader(parameter.getName());
      }
      default -> {
        return request.getCookie(parameter.getName()) == null ? null
            : request.getCookie(parameter.getName()).getValue();
      }
    }
  }

  /** Of the failures a schema reports, the one deepest in the instance: it names the field at fault. */
  private static OutputUnit mostSpecific(OutputUnit result) {
    List<OutputUnit> all = new ArrayList<>();
    if (result.getErrors() != null) {
      all.addAll(result.getErrors());
    }
    OutputUnit best = result;
    int bestDepth = -1;
    for (OutputUnit unit : all) {
      int depth = unit.getInstanceLocation() == null ? 0 : unit.getInstanceLocation().length();
      if (depth > bestDepth) {
        best = unit;
        bestDepth = depth;
      }
    }
    return best;
  }

  /** {@code #/events/0/eventId} or {@code /events/0/eventId} to {@code events[0].eventId}; null for the root. */
  static String jsonPath(String instanceLocation) {
    if (instanceLocation == null) {
      return null;
    }
    String pointer = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    StringBuilder path = new StringBuilder();
    for (String token : pointer.split("/")) {
      if (token.isEmpty()) {
        continue;
      }
      String name = token.replace("~1", "/").replace("~0", "~");
      if (name.chars().allMatch(Character::isDigit)) {
        path.append('[').append(name).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(name);
      }
    }
    return path.length() == 0 ? null : path.toString();
  }

  private static MediaType jsonMediaType(Operation operation) {
    RequestBody body = operation.getRequestBody();
    if (body == null) {
      return null;
    }
    return body.getContent().get("application/json");
  }
}
