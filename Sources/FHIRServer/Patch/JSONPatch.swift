import FHIRModel
import Foundation

/// RFC 6902 JSON Patch over ``JSONValue`` (numbers keep their text): add, remove, replace, move, copy, test,
/// with RFC 6901 pointers. The patched document is read again as FHIR, so a patch cannot produce an invalid
/// resource.
enum JSONPatch {
    struct Failure: Error {
        var index: Int
        var message: String
    }

    static func apply(_ patch: JSONValue, to document: JSONValue) throws(Failure) -> JSONValue {
        guard case .array(let ops) = patch else {
            throw Failure(index: 0, message: "a JSON Patch is an array of operations")
        }
        var doc = document
        for (i, node) in ops.enumerated() {
            let op = node.value
            guard let name = op["op"]?.value.stringValue, let path = op["path"]?.value.stringValue else {
                throw Failure(index: i, message: "each operation needs op and path")
            }
            let pointer = try parse(path, index: i)
            switch name {
            case "add":
                guard let v = op["value"]?.value else { throw Failure(index: i, message: "add needs a value") }
                doc = try add(doc, pointer[...], v, index: i)
            case "remove":
                doc = try remove(doc, pointer[...], index: i).0
            case "replace":
                guard let v = op["value"]?.value else { throw Failure(index: i, message: "replace needs a value") }
                doc = try add(try remove(doc, pointer[...], index: i).0, pointer[...], v, index: i)
            case "move", "copy":
                guard let fromText = op["from"]?.value.stringValue else {
                    throw Failure(index: i, message: "\(name) needs from")
                }
                let from = try parse(fromText, index: i)
                let value = try get(doc, from[...], index: i)
                if name == "move" { doc = try remove(doc, from[...], index: i).0 }
                doc = try add(doc, pointer[...], value, index: i)
            case "test":
                guard let v = op["value"]?.value else { throw Failure(index: i, message: "test needs a value") }
                guard try get(doc, pointer[...], index: i) == stripped(v) else {
                    throw Failure(index: i, message: "test failed at \(path)")
                }
            default:
                throw Failure(index: i, message: "unknown op '\(name)'")
            }
        }
        return doc
    }

    static func parse(_ path: String, index: Int) throws(Failure) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw Failure(index: index, message: "a pointer starts with /") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// Values without source offsets, so that equality compares content only.
    static func stripped(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let m): .object(m.map { JSONMember(key: $0.key, node: JSONNode(stripped($0.node.value))) })
        case .array(let a): .array(a.map { JSONNode(stripped($0.value)) })
        default: v
        }
    }

    static func get(_ doc: JSONValue, _ p: ArraySlice<String>, index: Int) throws(Failure) -> JSONValue {
        guard let head = p.first else { return stripped(doc) }
        switch doc {
        case .object(let m):
            guard let child = m.first(where: { $0.key == head }) else {
                throw Failure(index: index, message: "no member '\(head)'")
            }
            return try get(child.node.value, p.dropFirst(), index: index)
        case .array(let a):
            guard let i = Int(head), i >= 0, i < a.count else {
                throw Failure(index: index, message: "no item \(head)")
            }
            return try get(a[i].value, p.dropFirst(), index: index)
        default:
            throw Failure(index: index, message: "'\(head)' is inside a primitive")
        }
    }

    static func add(_ doc: JSONValue, _ p: ArraySlice<String>, _ value: JSONValue, index: Int) throws(Failure)
        -> JSONValue
    {
        guard let head = p.first else { return value }
        let last = p.count == 1
        switch doc {
        case .object(var m):
            if let k = m.firstIndex(where: { $0.key == head }) {
                m[k].node = JSONNode(last ? value : try add(m[k].node.value, p.dropFirst(), value, index: index))
            } else {
                guard last else { throw Failure(index: index, message: "no member '\(head)'") }
                m.append(JSONMember(key: head, node: JSONNode(value)))
            }
            return .object(m)
        case .array(var a):
            if last {
                let i = head == "-" ? a.count : (Int(head) ?? -1)
                guard i >= 0, i <= a.count else { throw Failure(index: index, message: "no position \(head)") }
                a.insert(JSONNode(value), at: i)
            } else {
                guard let i = Int(head), i >= 0, i < a.count else {
                    throw Failure(index: index, message: "no item \(head)")
                }
                a[i] = JSONNode(try add(a[i].value, p.dropFirst(), value, index: index))
            }
            return .array(a)
        default:
            throw Failure(index: index, message: "'\(head)' is inside a primitive")
        }
    }

    static func remove(_ doc: JSONValue, _ p: ArraySlice<String>, index: Int) throws(Failure) -> (JSONValue, JSONValue)
    {
        guard let head = p.first else { throw Failure(index: index, message: "cannot remove the whole document") }
        switch doc {
        case .object(var m):
            guard let k = m.firstIndex(where: { $0.key == head }) else {
                throw Failure(index: index, message: "no member '\(head)'")
            }
            if p.count == 1 {
                let removed = m.remove(at: k)
                return (.object(m), removed.node.value)
            }
            let (child, removed) = try remove(m[k].node.value, p.dropFirst(), index: index)
            m[k].node = JSONNode(child)
            return (.object(m), removed)
        case .array(var a):
            guard let i = Int(head), i >= 0, i < a.count else {
                throw Failure(index: index, message: "no item \(head)")
            }
            if p.count == 1 {
                let removed = a.remove(at: i)
                return (.array(a), removed.value)
            }
            let (child, removed) = try remove(a[i].value, p.dropFirst(), index: index)
            a[i] = JSONNode(child)
            return (.array(a), removed)
        default:
            throw Failure(index: index, message: "'\(head)' is inside a primitive")
        }
    }
}
