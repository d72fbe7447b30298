//! The router: routes from their OpenAPI annotations, then the middleware every request
//! passes through (request id, tracing, panic guard, body limit, safe headers).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::response::IntoResponse;
use axum::{Extension, Router};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_http::CompressionLevel;
use tracing::Span;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Error;
use crate::routes::{
    attachments, auth, bulk, categories, export, messages, queue, stats, sync, system, tickets,
    users,
};
use crate::state::AppState;

/// JSON bodies are small; anything larger is refused before it is read whole.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Lifebuoy API", version = "1", description = "The Lifebuoy support-ticket API, version 1."),
    components(schemas(lifebuoy_domain::wire::Problem, lifebuoy_domain::FieldError)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every served route, with the OpenAPI document built from the same list.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(system::healthz))
        .routes(routes!(system::openapi_json))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(tickets::list_tickets, tickets::create_ticket))
        .routes(routes!(tickets::get_ticket, tickets::update_ticket))
        .routes(routes!(messages::create_message))
        .routes(routes!(messages::mark_resolution))
        .routes(routes!(stats::stats))
        .routes(routes!(export::export_csv))
        .routes(routes!(attachments::upload))
        .routes(routes!(attachments::download))
        .routes(routes!(attachments::thumbnail))
        .routes(routes!(sync::sync))
        .routes(routes!(sync::events))
        .routes(routes!(bulk::bulk_update))
        .routes(routes!(queue::queue_counts))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::update_user))
        .routes(routes!(
            categories::list_categories,
            categories::create_category
        ))
        .routes(routes!(categories::update_category))
        .split_for_parts()
}

pub fn router(state: AppState) -> Router {
    let (routes, doc) = api();
    let request_id = HeaderName::from_static("x-request-id");
    let middleware = ServiceBuilder::new()
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
        ]))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(log_response)
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(CatchPanicLayer::custom(|_| {
            Error::Internal("a handler panicked".to_owned()).into_response()
        }))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // JSON only: sync pages shrink several-fold; files are served as stored (ranges
        // stay byte-exact) and the event stream is never buffered by a compressor. The
        // fastest level: most of the size gain for a fraction of the CPU. Answers under
        // 4 KiB (one ticket, one message) fit in a few packets; setting up a deflate
        // stream for them cost more CPU than many whole requests.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(CompressionLevel::Fastest)
                .compress_when(SizeAbove::new(4096).and(
                    |_: axum::http::StatusCode,
                     _: axum::http::Version,
                     headers: &axum::http::HeaderMap,
                     _: &axum::http::Extensions| {
                        headers
                            .get(header::CONTENT_TYPE)
                            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
                    },
                )),
        );
    routes
        .fallback(|| async { Error::RouteNotFound })
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(Extension(Arc::new(doc)))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(middleware)
        .with_state(state)
}

/// The route template, never the raw URI: ids and queries stay out of the logs' keys.
fn request_span(req: &Request<Body>) -> Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str())
        .unwrap_or("<no route>");
    tracing::info_span!(
        "request",
        method = %req.method(),
        route,
        request_id,
        user_id = tracing::field::Empty,
    )
}

fn log_response<B>(res: &axum::http::Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(
        status = res.status().as_u16(),
        latency_ms = latency.as_secs_f64() * 1000.0,
        "answered"
    );
}
