//! The search index of the whole register, kept in memory per instance and rebuilt when the
//! register's version in the database changes (an import or edit on any instance).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::search::SearchIndex;
use super::store::{self, Activity};
use crate::db::Db;
use crate::error::{AppError, AppResult};

pub struct RegisterIndex {
    pub version: i64,
    pub search: SearchIndex,
    pub activities: HashMap<String, Activity>,
}

#[derive(Default)]
pub struct IndexCache(Mutex<Option<Arc<RegisterIndex>>>);

impl IndexCache {
    pub async fn current(&self, db: &Db) -> AppResult<Arc<RegisterIndex>> {
        let version = db.read(store::version).await?;
        if let Some(index) = self
            .0
            .lock()
            .expect("index lock")
            .as_ref()
            .filter(|i| i.version == version)
        {
            return Ok(index.clone());
        }
        let rows = db.read(store::all).await?;
        let index = actix_web::web::block(move || -> AppResult<RegisterIndex> {
            let activities: Vec<Activity> = rows.iter().map(|r| r.to_activity()).collect();
            Ok(RegisterIndex {
                version,
                search: SearchIndex::build(activities.iter().map(Activity::search_doc).collect()),
                activities: activities.into_iter().map(|a| (a.id.clone(), a)).collect(),
            })
        })
        .await
        .map_err(AppError::internal)??;
        let index = Arc::new(index);
        *self.0.lock().expect("index lock") = Some(index.clone());
        Ok(index)
    }
}
