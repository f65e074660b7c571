// The API's documentation page: Swagger UI (served by the project, with ninja's static
// files) reading the schema named by the page, without any inline script.
window.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: container.dataset.openapiUrl,
    domNode: container,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
