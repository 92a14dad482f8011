//! Which methods each path answers, from the OpenAPI document: a request whose path exists but
//! whose method does not is answered 405 with `Allow` (RFC 9110 15.5.6), not 404.

use utoipa::openapi::{OpenApi, PathItem};

/// One segment of a path template: `cases`, `{id}` or `{id}.pdf`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// A parameter with the text around it, e.g. `""` and `".pdf"`.
    Param {
        prefix: String,
        suffix: String,
    },
}

impl Segment {
    fn parse(text: &str) -> Self {
        match (text.find('{'), text.rfind('}')) {
            (Some(open), Some(close)) if open < close => Segment::Param {
                prefix: text[..open].to_owned(),
                suffix: text[close + 1..].to_owned(),
            },
            _ => Segment::Literal(text.to_owned()),
        }
    }

    fn matches(&self, text: &str) -> bool {
        match self {
            Segment::Literal(literal) => literal == text,
            Segment::Param { prefix, suffix } => {
                text.len() > prefix.len() + suffix.len()
                    && text.starts_with(prefix.as_str())
                    && text.ends_with(suffix.as_str())
            }
        }
    }
}

/// The paths of the service and the methods of each.
#[derive(Debug, Clone, Default)]
pub struct AllowedMethods {
    routes: Vec<(Vec<Segment>, Vec<&'static str>)>,
}

impl AllowedMethods {
    /// The operations of `document`, and `extra` routes it does not describe (the document
    /// itself, the documentation page).
    pub fn from_document(document: &OpenApi, extra: &[(&str, &'static str)]) -> Self {
        let mut allowed = AllowedMethods::default();
        for (path, item) in &document.paths.paths {
            allowed.add(path, methods_of(item));
        }
        for (path, method) in extra {
            allowed.add(path, vec![method]);
        }
        allowed
    }

    fn add(&mut self, path: &str, methods: Vec<&'static str>) {
        let segments: Vec<Segment> = split(path).map(Segment::parse).collect();
        match self.routes.iter_mut().find(|(s, _)| *s == segments) {
            Some((_, existing)) => existing.extend(methods),
            None => self.routes.push((segments, methods)),
        }
    }

    /// The methods `path` answers, if it is a path of the service. Where a literal and a
    /// parameter both fit (`/cases/search` and `/cases/{id}`), the literal wins, as the router
    /// would pick it.
    pub fn of(&self, path: &str) -> Option<Vec<&'static str>> {
        let parts: Vec<&str> = split(path).collect();
        let literals = |segments: &[Segment]| {
            segments
                .iter()
                .filter(|s| matches!(s, Segment::Literal(_)))
                .count()
        };
        self.routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(s, p)| s.matches(p))
            })
            .max_by_key(|(segments, _)| literals(segments))
            .map(|(_, methods)| {
                let mut methods = methods.clone();
                methods.sort_unstable();
                methods.dedup();
                methods
            })
    }
}

/// What a request no route took is answered: 405 with the methods when its path is one of the
/// service's (the router may have tried `/cases/{id}` for `GET /cases/search`), else 404.
pub fn refusal(request: &actix_web::HttpRequest) -> crate::error::AppError {
    let methods = request
        .app_data::<actix_web::web::Data<AllowedMethods>>()
        .and_then(|allowed| allowed.of(request.path()));
    match methods {
        Some(methods) if !methods.contains(&request.method().as_str()) => {
            crate::error::AppError::MethodNotAllowed {
                allow: methods.join(", "),
            }
        }
        _ => crate::error::AppError::NotFound,
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn methods_of(item: &PathItem) -> Vec<&'static str> {
    [
        ("GET", item.get.is_some()),
        ("PUT", item.put.is_some()),
        ("POST", item.post.is_some()),
        ("DELETE", item.delete.is_some()),
        ("PATCH", item.patch.is_some()),
        ("HEAD", item.head.is_some()),
        ("OPTIONS", item.options.is_some()),
    ]
    .into_iter()
    .filter_map(|(method, present)| present.then_some(method))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> AllowedMethods {
        let mut a = AllowedMethods::default();
        a.add("/api/v1/cases", vec!["GET", "POST"]);
        a.add("/api/v1/cases/{id}", vec!["GET"]);
        a.add("/api/v1/cases/search", vec!["POST"]);
        a.add("/api/v1/letters/{id}.pdf", vec!["GET"]);
        a.add("/api/v1/register/activities/{id}", vec!["GET"]);
        a.add("/api/v1/register/activities/{id}", vec!["PUT", "DELETE"]);
        a
    }

    #[test]
    fn a_path_of_the_service_names_its_methods() {
        let a = allowed();
        assert_eq!(a.of("/api/v1/cases"), Some(vec!["GET", "POST"]));
        assert_eq!(a.of("/api/v1/cases/0190-abc"), Some(vec!["GET"]));
        assert_eq!(a.of("/api/v1/cases/search"), Some(vec!["POST"]));
        assert_eq!(a.of("/api/v1/letters/0190-abc.pdf"), Some(vec!["GET"]));
        assert_eq!(
            a.of("/api/v1/register/activities/a1"),
            Some(vec!["DELETE", "GET", "PUT"])
        );
    }

    #[test]
    fn any_other_path_is_none() {
        let a = allowed();
        assert_eq!(a.of("/api/v1/nothing"), None);
        assert_eq!(a.of("/api/v1/cases/1/2"), None);
        assert_eq!(a.of("/api/v1/letters/.pdf"), None);
    }
}
