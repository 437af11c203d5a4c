package dev.ticketing.web.errors;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.ProblemDetail;

/**
 * Puts the shared error schema into every service's OpenAPI document, as the default response of each route. Written
 * out here because {@link ProblemDetail} keeps {@code errors} among its free-form properties, which no model converter
 * can see.
 */
final class ProblemOpenApi implements OpenApiCustomizer {

    private static final String SCHEMAS = "#/components/schemas/";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        ModelConverters.getInstance().readAll(ErrorDetail.class).forEach(openApi.getComponents()::addSchemas);
        openApi.getComponents().addSchemas("Problem", new ObjectSchema()
                .description("RFC 9457 problem document with the course's errors array")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty("errors", new ArraySchema().minItems(1)
                        .items(new Schema<>().$ref(SCHEMAS + ErrorDetail.class.getSimpleName())))
                .required(List.of("type", "title", "status", "errors")));
        if (openApi.getPaths() == null) {
            return;
        }
        ApiResponse problem = new ApiResponse()
                .description("Any error: an RFC 9457 problem document; clients read errors[].message")
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref(SCHEMAS + "Problem"))));
        openApi.getPaths().values().stream()
                .map(PathItem::readOperations)
                .flatMap(List::stream)
                .forEach(operation -> {
                    if (operation.getResponses() == null) {
                        operation.setResponses(new ApiResponses());
                    }
                    operation.getResponses().putIfAbsent("default", problem);
                });
    }
}
