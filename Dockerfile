# The engine's image: built with Maven in a first stage, run on a JRE as a non-root user.
#   docker build -t learnquest . && docker run -p 8080:8080 learnquest
# compose.yaml builds it for three clustered nodes; docs/deployment.md explains both.

# Build stage: the fat jar. Tests run in CI (scripts/test), not here.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in a layer of their own: a change to the sources does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/main ./src/main
RUN mvn -B -q -Dmaven.test.skip=true package

# Run stage: a JRE, curl for the health check, the jar and the default configuration.
FROM eclipse-temurin:17-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin engine
WORKDIR /app
COPY --from=build /src/target/learnquest-engine-fat.jar /app/engine.jar
COPY conf /app/conf
# Where a node started without LQ_BOOTSTRAP_KEY writes its first admin key (mode 0600).
RUN mkdir -p /app/.learnquest && chown 10001 /app/.learnquest
USER 10001
# In a container the engine must listen on every interface to be reachable at all, whatever
# conf/engine.json says.
ENV CONF_DIR=/app/conf \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=70"
EXPOSE 8080 5701
# Liveness: /health answers while the process runs. Readiness (stores reachable, not stopping) is
# /ready: point load balancers and Kubernetes' readinessProbe at it (docs/deployment.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${HTTP_PORT}/health" >/dev/null || exit 1
# exec: java is PID 1 and gets SIGTERM itself, so a stop is graceful.
STOPSIGNAL SIGTERM
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/engine.jar"]
