import { feedPlugin } from "@11ty/eleventy-plugin-rss";

export default function (eleventyConfig) {
	// Drafts: left out of a normal build (the recipe from the preprocessor docs).
	eleventyConfig.addPreprocessor("drafts", "*", (data) => {
		if (data.draft && process.env.ELEVENTY_RUN_MODE === "build") {
			return false;
		}
	});

	eleventyConfig.addShortcode("venue", (name) => `<p class="venue">Venue: ${name}</p>`);

	eleventyConfig.addPlugin(feedPlugin, {
		type: "atom",
		outputPath: "/feed.xml",
		collection: { name: "posts", limit: 6 },
		metadata: {
			language: "en",
			title: "Northside Tool Library",
			subtitle: "Borrow a drill, learn to use it.",
			base: "https://eleventy.example.org/",
			author: { name: "Tool Library Volunteers" },
		},
	});

	eleventyConfig.addPlugin(feedPlugin, {
		type: "json",
		outputPath: "/feed.json",
		collection: { name: "posts", limit: 0 },
		metadata: {
			language: "en",
			title: "Northside Tool Library",
			subtitle: "Borrow a drill, learn to use it.",
			base: "https://eleventy.example.org/",
			author: { name: "Tool Library Volunteers" },
		},
	});
}

export const config = {
	dir: {
		input: "src",
		includes: "_includes",
		data: "_data",
		output: "_site",
	},
	markdownTemplateEngine: "liquid",
};
