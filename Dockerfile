# One image recipe for every service: docker build --build-arg SERVICE=booking-service .
# Used by docker-compose.yml. Stage 1 builds with the Maven wrapper, stage 2 runs the Boot jar.
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package -pl ${SERVICE} -am

FROM eclipse-temurin:17-jre
ARG SERVICE
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 clinic
COPY --from=build /src/${SERVICE}/target/${SERVICE}.jar /app/app.jar
USER clinic
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
