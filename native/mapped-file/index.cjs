"use strict";
module.exports = require("./build/Release/mapped_file.node");
