// Starts Swagger UI on the API reference page; the schema URL comes from a data attribute so
// the page needs no inline script under a strict Content-Security-Policy.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    withCredentials: true,
    validatorUrl: null, // no call to a third-party validator
  });
});
