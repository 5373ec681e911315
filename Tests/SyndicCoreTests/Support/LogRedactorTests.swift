import Testing
@testable import SyndicCore

/// What the log redactor takes out, and what it leaves.
@Suite struct LogRedactorTests {
    @Test func passwordsInURLsGo() {
        #expect(LogRedactor.redact("sftp://feed:s3cret@files.example:22/out") == "sftp://feed:[redacted]@files.example:22/out")
        #expect(LogRedactor.redact("mail to ops@example.com") == "mail to ops@example.com")
    }

    @Test func credentialsOfAuthorizationSchemesGo() {
        #expect(LogRedactor.redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer [redacted]")
        #expect(LogRedactor.redact("basic dXNlcjpwYXNz") == "basic [redacted]")
        #expect(LogRedactor.redact("basic auth failed") == "basic auth failed", "a word is not a credential")
    }

    @Test func apiTokensGo() {
        #expect(LogRedactor.redact("token syn_0123456789abcdef0123 made") == "token syn_[redacted] made")
    }

    @Test func secretParametersGoInQueriesFormsAndJSON() {
        #expect(LogRedactor.redact("/orders?limit=3&access_token=x1&password=x2")
                    == "/orders?limit=3&access_token=[redacted]&password=[redacted]")
        #expect(LogRedactor.redact("grant_type=password&username=erp&client-secret=x3")
                    == "grant_type=password&username=erp&client-secret=[redacted]")
        #expect(LogRedactor.redact(#"{"refresh_token": "x4", "expires_in": 3600}"#)
                    == #"{"refresh_token": "[redacted]", "expires_in": 3600}"#)
        #expect(LogRedactor.redact("sort=errors&monkey=1") == "sort=errors&monkey=1", "a name that only ends like a secret stays")
        #expect(LogRedactor.redact("https://s3.example/f?X-Amz-Credential=AK/1&X-Amz-Signature=ab12&X-Amz-Security-Token=tt")
                    == "https://s3.example/f?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]")
        #expect(LogRedactor.redact("HTTP 500: code=500") == "HTTP 500: code=500")
    }

    @Test func secretNamesAreRecognisedWhateverTheirCase() {
        #expect(LogRedactor.isSecretName("Client-Secret"))
        #expect(LogRedactor.isSecretName("PASSWORD"))
        #expect(!LogRedactor.isSecretName("token_name"))
        #expect(!LogRedactor.isSecretName("channel"))
    }

    @Test func onlyTextWithAMarkerOrNonASCIIGoesThroughTheRules() {
        #expect(!LogRedactor.mayHoldSecret("limit=50&cursor=1234"), "an ordinary query string needs no rule")
        #expect(!LogRedactor.mayHoldSecret("GET /api/v1/orders 200"))
        #expect(LogRedactor.mayHoldSecret("x=1&PassWord=abc"), "markers are compared without case")
        #expect(LogRedactor.mayHoldSecret("see HTTPS://host"))
        #expect(LogRedactor.mayHoldSecret("naïve=1"), "text with other characters always goes through the rules")
        #expect(LogRedactor.redact("x=1&PassWord=abc") == "x=1&PassWord=[redacted]")
        #expect(LogRedactor.redact("limit=50&cursor=1234") == "limit=50&cursor=1234")
    }
}
