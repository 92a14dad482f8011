//! The query-string extractor: a value of the wrong type is a 422 naming the parameter.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::json::shape_error;
use crate::error::AppError;

pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let pairs = form_urlencoded::parse(req.query_string().as_bytes());
        let deserializer = serde_urlencoded::Deserializer::new(pairs);
        ready(
            serde_path_to_error::deserialize(deserializer)
                .map(Query)
                .map_err(|error| {
                    let path = error.path().to_string();
                    let mut field_error = shape_error(&path, &error.into_inner().to_string());
                    if field_error.field == "body" {
                        field_error.field = "query".into();
                    }
                    AppError::Validation(vec![field_error])
                }),
        )
    }
}
