import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG document read back with Foundation's XMLParser, so tests check what a viewer would read.
final class SVGTree: NSObject, XMLParserDelegate {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        /// This element and every descendant, depth first.
        var all: [Element] { [self] + children.flatMap(\.all) }

        /// Numbers of a space-separated `data-*` attribute.
        func numbers(_ attribute: String) -> [Double] {
            (attributes[attribute] ?? "").split(separator: " ").map { Double(String($0)) ?? .nan }
        }
    }

    private(set) var root: Element?
    private var stack: [Element] = []
    private var failure: (any Error)?

    /// Parses `text`; throws what XMLParser reports for a document that is not well formed.
    static func parse(_ text: String) throws -> Element {
        let tree = SVGTree()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = tree
        guard parser.parse(), let root = tree.root else {
            throw tree.failure ?? parser.parserError ?? CocoaError(.fileReadCorruptFile)
        }
        return root
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        let element = Element(name: elementName, attributes: attributes)
        stack.last?.children.append(element)
        if root == nil { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { failure = parseError }
}
