"""What every domain's services share: the errors a service refuses with, form validation, the
plain result values, phone numbers and typed dates, the configurable closed lists, writing
the audit trail, and the readers and writers of files (CSV, text, zip, exports). It may use
the store and the models, never a domain package."""
