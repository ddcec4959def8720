# Build stage: compile and package the fat jar (tests run in CI, not in the image build).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

# Run stage: a JRE, the jar and the default configuration.
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --uid 10001 engine
COPY --from=build /src/target/learnquest-engine-fat.jar /app/engine.jar
COPY conf /app/conf
USER engine
ENV CONF_DIR=/app/conf HTTP_PORT=8080
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/engine.jar"]
