package dev.ticketing.web.errors;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/** Puts the shared error schema into every service's OpenAPI document, as the default response of each route. */
final class ProblemOpenApi implements OpenApiCustomizer {

    private static final String PROBLEM = "#/components/schemas/" + Problem.class.getSimpleName();

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Map<String, Schema> schemas = ModelConverters.getInstance().readAll(Problem.class);
        schemas.forEach(openApi.getComponents()::addSchemas);
        if (openApi.getPaths() == null) {
            return;
        }
        ApiResponse problem = new ApiResponse()
                .description("Any error: an RFC 9457 problem document; clients read errors[].message")
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref(PROBLEM))));
        openApi.getPaths().values().stream()
                .map(PathItem::readOperations)
                .flatMap(java.util.List::stream)
                .forEach(operation -> {
                    if (operation.getResponses() == null) {
                        operation.setResponses(new ApiResponses());
                    }
                    operation.getResponses().putIfAbsent("default", problem);
                });
    }
}
