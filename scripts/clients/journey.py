"""The e-tjänst's journey through the Python client generated from /api/v1/openapi.json:
submit Tolvan's access request, then show him the status of his own requests."""

import sys

from dsar_client import AuthenticatedClient
from dsar_client.api.cases import citizen_cases, create_case
from dsar_client.models import CaseResponse, CaseStatusPage, CitizenCasesRequest, CreateCaseRequest, Problem

base_url, token = sys.argv[1], sys.argv[2]
client = AuthenticatedClient(base_url=base_url, token=token)

request = CreateCaseRequest.from_dict({
    "kind": "access",
    "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson"},
    "identity": {"method": "e_legitimation", "assurance": "loa3", "personnummer": "19121212-1212",
                 "provider": "bankid", "transaction_reference": "bankid-order-python-client"},
    "controllers": ["kommunstyrelsen"],
})
created = create_case.sync_detailed(client=client, body=request)
assert created.status_code == 201, (created.status_code, created.content)
case = created.parsed
assert isinstance(case, CaseResponse), case
assert case.channel == "etjanst", case.channel

# A refusal comes back as the Problem model, naming the field.
bad = CreateCaseRequest.from_dict({"kind": "access", "subject": {"personnummer": "19121212-1213", "name": "X"},
                                   "controllers": ["kommunstyrelsen"]})
refused = create_case.sync_detailed(client=client, body=bad)
assert refused.status_code == 422, refused.status_code
assert isinstance(refused.parsed, Problem), refused.parsed
assert refused.parsed.errors[0].field == "subject.personnummer", refused.parsed.errors

page = citizen_cases.sync_detailed(client=client, body=CitizenCasesRequest.from_dict({"personnummer": "19121212-1212"}))
assert page.status_code == 200, (page.status_code, page.content)
assert isinstance(page.parsed, CaseStatusPage), page.parsed
references = [item.reference for item in page.parsed.items]
assert case.reference in references, references
print(f"python client: created {case.reference} as the e-tjänst and read it back in the status view")
