import Foundation
import Testing
@testable import SyndicCore

struct ManualRunPolicyTests {
    /// A channel spec from JSON text.
    static func spec(_ json: String) -> Value {
        try! CanonicalJSON.parse(json)
    }

    /// A mirakl channel with a scheduled export, order retrieval and an order export.
    static func mirakl(status: String? = "active") -> Value {
        let status = status.map { #""status":"\#($0)","# } ?? ""
        return spec(#"""
            {\#(status)"type":"mirakl","source":{"connection":"pim"},
             "products":{"mapping":{"title":"name~fr_FR"},"export":{"schedule":{"at":"02:30"}}},
             "orders":{"retrieval":true,"export":{"schedule":{"every":"15m"}}}}
            """#)
    }

    /// A flat-file channel with nothing to run.
    static let empty = spec(#"{"status":"active","type":"flat-file"}"#)
    /// An active flat-file channel exporting without a mapping.
    static let unmapped = spec(#"{"status":"active","type":"flat-file","source":{"connection":"pim"}}"#)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: Value
        var suspended = false
        var job: JobKind
        var dryRun = false
        var full = false
        var refusal: String?

        var testDescription: String { name }
    }

    static let inactive = "channel mirakl_fr is inactive; activate it (status: active) and apply, or run a dry-run export with --dry-run"
    static let suspended = "channel mirakl_fr is suspended; only a dry-run export is allowed (syndic resume mirakl_fr lifts the suspension)"

    static let cases: [Case] = [
        // Allowed.
        Case(name: "a manual export while the schedule is on", spec: mirakl(), job: .productExport, refusal: nil),
        Case(name: "a full export", spec: mirakl(), job: .productExport, full: true, refusal: nil),
        Case(name: "a dry-run export", spec: mirakl(), job: .productExport, dryRun: true, refusal: nil),
        Case(name: "a full dry-run export", spec: mirakl(), job: .productExport, dryRun: true, full: true, refusal: nil),
        Case(name: "an order job", spec: mirakl(), job: .orderRetrieval, refusal: nil),
        Case(name: "a requirements sync of a mirakl channel", spec: mirakl(), job: .requirementsSync, refusal: nil),
        Case(name: "a dry-run export of an inactive channel", spec: mirakl(status: "inactive"), job: .productExport,
             dryRun: true, refusal: nil),
        Case(name: "a dry-run export of a channel without status", spec: mirakl(status: nil), job: .productExport,
             dryRun: true, refusal: nil),
        Case(name: "a dry-run export of a suspended channel", spec: mirakl(), suspended: true, job: .productExport,
             dryRun: true, refusal: nil),
        Case(name: "a dry-run export of a suspended inactive channel", spec: mirakl(status: "inactive"), suspended: true,
             job: .productExport, dryRun: true, refusal: nil),
        // Flags that only exports take.
        Case(name: "--dry-run on an order job", spec: mirakl(), job: .orderRetrieval, dryRun: true,
             refusal: "--dry-run applies to product-export only"),
        Case(name: "--full on a requirements sync", spec: mirakl(), job: .requirementsSync, full: true,
             refusal: "--full applies to product-export only"),
        Case(name: "--dry-run is checked before the channel state", spec: mirakl(status: "inactive"), suspended: true,
             job: .orderExport, dryRun: true, refusal: "--dry-run applies to product-export only"),
        // Jobs the channel does not have.
        Case(name: "a job the channel does not configure", spec: mirakl(), job: .shipmentImport,
             refusal: "channel mirakl_fr has no shipment-import job (configured: product-export, requirements-sync, order-retrieval, order-export)"),
        Case(name: "a channel with no job at all", spec: empty, job: .productExport,
             refusal: "channel mirakl_fr has no product-export job (configured: none)"),
        Case(name: "a product export needs a source, not a mapping", spec: unmapped, job: .productExport, dryRun: true,
             refusal: nil),
        Case(name: "an unconfigured job of an inactive channel says what is configured",
             spec: mirakl(status: "inactive"), job: .confirmationPush,
             refusal: "channel mirakl_fr has no confirmation-push job (configured: product-export, requirements-sync, order-retrieval, order-export)"),
        // Inactive and suspended channels.
        Case(name: "an inactive channel", spec: mirakl(status: "inactive"), job: .productExport, refusal: inactive),
        Case(name: "a channel without status is inactive", spec: mirakl(status: nil), job: .productExport,
             refusal: inactive),
        Case(name: "a full export of an inactive channel", spec: mirakl(status: "inactive"), job: .productExport,
             full: true, refusal: inactive),
        Case(name: "an order job of an inactive channel", spec: mirakl(status: "inactive"), job: .orderRetrieval,
             refusal: inactive),
        Case(name: "a suspended channel", spec: mirakl(), suspended: true, job: .productExport, refusal: suspended),
        Case(name: "a suspended channel's order job", spec: mirakl(), suspended: true, job: .orderExport,
             refusal: suspended),
        Case(name: "suspended is said before inactive", spec: mirakl(status: "inactive"), suspended: true,
             job: .productExport, refusal: suspended),
    ]

    @Test(arguments: cases)
    func refusal(_ test: Case) {
        let refusal = ManualRunPolicy.refusal(channel: "mirakl_fr", spec: test.spec, suspended: test.suspended,
                                              job: test.job, dryRun: test.dryRun, full: test.full)
        #expect(refusal == test.refusal)
    }

    @Test func refusalsNameTheChannel() {
        let refusal = ManualRunPolicy.refusal(channel: "amazon_de", spec: Self.mirakl(status: "inactive"),
                                              suspended: false, job: .productExport, dryRun: false, full: false)
        #expect(refusal?.hasPrefix("channel amazon_de is inactive") == true)
    }
}
